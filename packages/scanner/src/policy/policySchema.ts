import { createPublicKey, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { SEVERITIES, isAtLeast, type Severity } from '../model/severity';
import { DEFAULT_LIMITS, type ScanLimits } from '../model/limits';
import { findRule } from '../rules/catalogue';
import { parseExpiry } from './expiry';
import { POLICY_API_VERSION } from './types';
import type * as TrustMaterial from '../signatures/trustMaterial';

/**
 * The policy file format (`mlgov/v1`) as one zod schema: `parsePolicy` validates with it (and maps
 * every issue path to its YAML line), and `policyJsonSchema()` publishes it for editors as
 * `schema/policy.schema.json`. Checks JSON Schema cannot say (known rule IDs, real dates, ticket_on
 * at or below fail_on) are refinements: editors skip them, the scanner does not.
 */

const NON_EMPTY = 'expected a non-empty string';
const REQUIRED =
  'required: every exception has an owner, a justification and an expiry date';

const text = () => z.string({ error: NON_EMPTY }).min(1, { error: NON_EMPTY });

/** Severities, in any case as users write them (`CRITICAL`, `High`); read lower-cased. */
const severity = z
  .string({ error: NON_EMPTY })
  .min(1, { error: NON_EMPTY })
  .refine(
    value => (SEVERITIES as readonly string[]).includes(value.toLowerCase()),
    {
      error: issue =>
        `"${String(
          issue.input,
        )}" is not a severity; expected one of ${SEVERITIES.join(', ')}`,
    },
  )
  .transform(value => value.toLowerCase() as Severity)
  // Editors get the spellings people use; the scanner also takes any other casing.
  .meta({
    description: `One of ${SEVERITIES.join(', ')} (any case).`,
    enum: SEVERITIES.flatMap(name => [
      name,
      name.toUpperCase(),
      name[0].toUpperCase() + name.slice(1),
    ]),
  });

const flag = z.boolean({ error: 'expected true or false' });

const stringList = z.array(text(), { error: 'expected a list of strings' });

const ruleOverride = z
  .strictObject(
    {
      severity: severity.optional(),
      enabled: flag.optional(),
    },
    {
      error: issue =>
        issue.code === 'invalid_type'
          ? 'expected a mapping with "severity" and/or "enabled"'
          : undefined,
    },
  )
  .meta({ description: 'Severity and on/off override of one rule.' });

const rules = z
  .record(z.string(), ruleOverride, {
    error: 'expected a mapping of rule ID to { severity, enabled }',
  })
  .superRefine((overrides, ctx) => {
    for (const [id, override] of Object.entries(overrides)) {
      const rule = findRule(id);
      if (!rule)
        ctx.addIssue({
          code: 'custom',
          path: [id],
          message: 'unknown rule ID; `mlgov rules` lists them',
        });
      else if (override.enabled === false && rule.category === 'scan') {
        ctx.addIssue({
          code: 'custom',
          path: [id, 'enabled'],
          message:
            'scan rules cannot be disabled: input that was not analysed never passes. Use ignore_paths for files that are not models, or an allow entry with owner, justification and expiry',
        });
      }
    }
  })
  .meta({
    description: 'Per-rule overrides, by rule ID (`mlgov rules` lists them).',
  });

export const ALLOW_MATCHERS = [
  'rule',
  'path',
  'symbol',
  'package',
  'fingerprint',
] as const;

const required = () =>
  z
    .string({
      error: issue => (issue.input === undefined ? REQUIRED : NON_EMPTY),
    })
    .trim()
    .min(1, { error: REQUIRED });

const allowEntry = z
  .strictObject(
    {
      rule: text()
        .refine(id => findRule(id) !== undefined, {
          error: issue =>
            `unknown rule ID "${String(
              issue.input,
            )}"; \`mlgov rules\` lists them`,
        })
        .optional(),
      path: text()
        .meta({ description: 'Glob of paths relative to the scan root.' })
        .optional(),
      symbol: text()
        .meta({
          description: 'A pickle global or called symbol, e.g. `our.Scaler`.',
        })
        .optional(),
      package: text().optional(),
      fingerprint: text()
        .regex(/^[0-9a-f]{16,64}$/, {
          error: 'expected the hexadecimal fingerprint printed in reports',
        })
        .optional(),
      owner: required(),
      justification: required(),
      expires: required()
        .refine(value => parseExpiry(value) !== undefined, {
          error: issue =>
            `"${String(
              issue.input,
            )}" is not an ISO date (YYYY-MM-DD) or timestamp`,
        })
        .meta({ description: 'ISO date (inclusive, UTC) or timestamp.' }),
    },
    {
      error: issue =>
        issue.code === 'invalid_type'
          ? 'expected a mapping with owner, justification, expires and rule/path/symbol/package/fingerprint'
          : undefined,
    },
  )
  .superRefine((entry, ctx) => {
    if (!ALLOW_MATCHERS.some(matcher => entry[matcher] !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `needs at least one of ${ALLOW_MATCHERS.join(
          ', ',
        )}: an entry cannot allow everything`,
      });
    }
  })
  .meta({
    description:
      'An owned, justified, expiring exception; at least one matcher.',
  });

const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof ScanLimits)[];

const limits = z
  .strictObject(
    Object.fromEntries(
      LIMIT_NAMES.map(name => {
        const message = `expected a positive ${
          name === 'maxCompressionRatio' ? 'number' : 'integer'
        }`;
        const number = z
          .number({ error: message })
          .positive({ error: message });
        return [
          name,
          (name === 'maxCompressionRatio'
            ? number
            : number.int({ error: message })
          ).optional(),
        ];
      }),
    ) as Record<keyof ScanLimits, z.ZodOptional<z.ZodNumber>>,
    {
      error: issue =>
        issue.code === 'invalid_type'
          ? `expected a mapping of limit name (${LIMIT_NAMES.join(
              ', ',
            )}) to a number`
          : undefined,
    },
  )
  .meta({
    description: 'Overrides of the scan limits (docs/configuration.md#limits).',
  });

const parses = (parse: (pem: string) => unknown) => (pem: string) => {
  try {
    parse(pem);
    return true;
  } catch {
    return false;
  }
};
const publicKeyPem = text().refine(parses(createPublicKey), {
  error: 'expected a PEM public key (-----BEGIN PUBLIC KEY-----)',
});
const certificatePem = text().refine(
  parses(pem => new X509Certificate(pem)),
  { error: 'expected a PEM certificate (-----BEGIN CERTIFICATE-----)' },
);

/** `signatures:` OpenSSF model signatures (src/signatures): who may sign, what roots to trust. */
const signer = z
  .strictObject({
    public_key: publicKeyPem
      .meta({ description: 'PEM public key (ECDSA P-256/384/521 or Ed25519).' })
      .optional(),
    subject: text()
      .meta({ description: 'Certificate SAN e-mail or URI, exact.' })
      .optional(),
    issuer: text()
      .meta({
        description:
          'OIDC issuer in the certificate (Fulcio extension), exact.',
      })
      .optional(),
  })
  .refine(
    s =>
      s.public_key !== undefined ||
      (s.subject !== undefined && s.issuer !== undefined),
    {
      error:
        'a signer is a public_key, or a certificate subject together with its issuer',
    },
  );

/** Inline Sigstore trusted root: the JSON object, or its text. Checked by @sigstore/verify's reader. */
const trustedRoot = z
  .union([text(), z.record(z.string(), z.unknown())], {
    error: 'expected a Sigstore trusted_root.json object or its JSON text',
  })
  .transform((value, ctx) => {
    try {
      const document =
        typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
      // The Sigstore libraries load only for a policy that has a trusted root.
      const { parseTrustedRoot } =
        require('../signatures/trustMaterial') as typeof TrustMaterial;
      parseTrustedRoot(document);
      return document;
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message:
          error instanceof SyntaxError
            ? 'trusted_root is not JSON'
            : (error as Error).message,
      });
      return z.NEVER;
    }
  })
  .meta({
    description:
      'A Sigstore trusted_root.json (Fulcio CAs, Rekor and CT logs, timestamp authorities), inline.',
  });

const evidenceCount = z
  .number({ error: 'expected a whole number of 0 or more' })
  .int({ error: 'expected a whole number of 0 or more' })
  .min(0, { error: 'expected a whole number of 0 or more' });

const signatures = z
  .strictObject({
    require_signature: flag.optional().meta({
      description: 'A model folder without a verified model.sig blocks.',
    }),
    signature_file: text().optional().meta({
      description:
        'Signature file name in the model folder (default model.sig).',
    }),
    signers: z
      .array(signer, { error: 'expected a list of signers' })
      .optional(),
    trusted_roots: z.array(certificatePem).optional().meta({
      description:
        'PEM CA certificates that signing certificates must chain to.',
    }),
    tlog_keys: z.array(publicKeyPem).optional().meta({
      description:
        'PEM transparency-log (Rekor) keys; a verified log entry gives the signing time.',
    }),
    trusted_root: trustedRoot.optional(),
    trusted_root_file: text().optional().meta({
      description:
        'Path of a Sigstore trusted_root.json, relative to the policy file (read by the CLI).',
    }),
    thresholds: z
      .strictObject({
        tlog: evidenceCount.optional(),
        ctlog: evidenceCount.optional(),
        timestamp: evidenceCount.optional(),
      })
      .optional()
      .meta({
        description:
          'Minimum verified transparency-log entries, SCTs and timestamps (defaults: 1 each with a trusted_root, 0 with PEM roots only).',
      }),
  })
  .meta({
    description: 'Model signature verification (OpenSSF model signing).',
  });

const digest = text()
  .transform(value => value.toLowerCase().replace(/^sha256:/, ''))
  .pipe(
    z.string().regex(/^[0-9a-f]{64}$/, {
      error: 'expected a SHA-256 digest: 64 hexadecimal characters',
    }),
  )
  .meta({
    description:
      'SHA-256 as 64 hex characters, optionally prefixed with `sha256:`.',
  });

function apiVersionMessage(input: unknown): string {
  if (input === undefined)
    return `required; add "apiVersion: ${POLICY_API_VERSION}" as the first line`;
  if (typeof input === 'string')
    return `"${input}" is not supported; this scanner reads "${POLICY_API_VERSION}"`;
  return NON_EMPTY;
}

export const POLICY_FILE_SCHEMA = z
  .strictObject(
    {
      apiVersion: z.literal(POLICY_API_VERSION, {
        error: issue => apiVersionMessage(issue.input),
      }),
      fail_on: severity.optional().meta({
        description:
          'Findings at or above this severity block the release (exit 20). Default high.',
      }),
      ticket_on: severity.optional().meta({
        description:
          'Findings at or above this severity (below fail_on) open a ticket (exit 10). Default medium.',
      }),
      enforce_safetensors: flag.optional().meta({
        description:
          'Treat any pickle-based model (PICKLE-FORMAT) as blocking.',
      }),
      rules: rules.optional(),
      allow: z
        .array(allowEntry, {
          error:
            'expected a list of entries (each with owner, justification, expires and a matcher)',
        })
        .optional(),
      ignore_paths: stringList.optional().meta({
        description:
          'Globs of paths (relative to the scan root) not scanned at all.',
      }),
      limits: limits.optional(),
      trusted_globals: stringList.optional().meta({
        description:
          'Extra pickle globals (`module.name` or `module.*`) the pickle reader trusts.',
      }),
      hardened_modules: stringList.optional().meta({
        description: 'Python modules whose model loaders are known to be safe.',
      }),
      pinned_hashes: z
        .record(z.string(), digest, {
          error: 'expected a mapping of path to SHA-256 hex digest',
        })
        .optional(),
      signatures: signatures.optional(),
      image_platforms: z
        .array(
          z.string().regex(/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, {
            error: 'expected an os/architecture[/variant] label',
          }),
        )
        .optional()
        .meta({
          description:
            'Platforms of a multi-platform image that are scanned (`linux/amd64`, `linux/arm64/v8`); default every platform. A manifest without a platform is always scanned.',
        }),
      licences: z.unknown().optional().meta({
        description: 'Licence policy; validated by the licence checks.',
      }),
      fail_on_missing_license: z.boolean().optional().meta({
        description:
          'A package or model with no declared licence is denied (licence policy `missing: deny`).',
      }),
      osv: z.unknown().optional().meta({
        description:
          'Vulnerability database settings; validated by the vulnerability checks.',
      }),
      datasets: z
        .strictObject({
          mode: z.enum(['sample', 'full']).optional().meta({
            description:
              'sample (default): the first 8 MiB / row groups / blocks and at most 100,000 rows of each dataset; full: every row, bounded by the per-file time budget.',
          }),
          schemas: z
            .record(z.string(), z.string(), {
              error:
                'expected a mapping of dataset path to pinned schema file path',
            })
            .optional()
            .meta({
              description:
                'Pinned schemas: dataset path (relative to the scan root) → schema file path (format mlgov/dataset-schema/v1). A `<file>.schema.json` beside a dataset is used without this.',
            }),
        })
        .optional()
        .meta({
          description: 'How datasets are read and what schema they must keep.',
        }),
    },
    {
      error: issue =>
        issue.code === 'invalid_type'
          ? `a policy is a YAML mapping starting with "apiVersion: ${POLICY_API_VERSION}"`
          : undefined,
    },
  )
  .superRefine((policy, ctx) => {
    if (
      policy.fail_on &&
      policy.ticket_on &&
      !isAtLeast(policy.fail_on, policy.ticket_on)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['ticket_on'],
        message: `"${policy.ticket_on}" is more severe than fail_on "${policy.fail_on}"; ticket_on must be at or below fail_on`,
      });
    }
  })
  .meta({ title: 'ML Governance scanner policy (mlgov/v1)' });

export type PolicyFile = z.output<typeof POLICY_FILE_SCHEMA>;

/** Keys known at a place in the file, for "unknown key" hints. */
export function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return Object.keys(POLICY_FILE_SCHEMA.shape);
  if (path[0] === 'allow') return Object.keys(allowEntry.shape);
  if (path[0] === 'rules') return Object.keys(ruleOverride.shape);
  if (path[0] === 'limits') return LIMIT_NAMES;
  return [];
}

export const POLICY_SCHEMA_ID =
  'https://github.com/ml-governance/ml-governance/raw/main/packages/scanner/schema/policy.schema.json';

/** The JSON Schema published for editors (`schema/policy.schema.json`), generated from the zod schema. */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(POLICY_FILE_SCHEMA, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-7',
  });
  return { ...schema, $id: POLICY_SCHEMA_ID };
}
