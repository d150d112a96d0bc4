import {
  LineCounter,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import type { z } from 'zod';
import { DEFAULT_POLICY } from './defaults';
import {
  knownKeysAt,
  POLICY_FILE_SCHEMA,
  type PolicyFile,
} from './policySchema';
import type { AllowEntry, Policy } from './types';
/**
 * One problem in a policy file, located by key path and line.
 *
 * @public
 */
export interface PolicyIssue {
  /** Dotted key path, e.g. `allow[2].expires`; empty for the document itself. */
  key: string;
  /** 1-based line in the policy file, when known. */
  line?: number;
  message: string;
}

/**
 * Thrown by `parsePolicy` with every problem found, not just the first, so one edit fixes them all.
 *
 * @public
 */
export class PolicyError extends Error {
  constructor(readonly source: string, readonly issues: PolicyIssue[]) {
    super(
      `Invalid policy ${source} (${issues.length} problem${
        issues.length === 1 ? '' : 's'
      }):\n${issues
        .map(
          issue =>
            `  ${source}${issue.line === undefined ? '' : `:${issue.line}`}: ${
              issue.key ? `${issue.key}: ` : ''
            }${issue.message}`,
        )
        .join('\n')}`,
    );
    this.name = 'PolicyError';
  }
}

/** An alias bomb in a policy file must not cost more than a handful of expansions. */
const MAX_ALIAS_COUNT = 50;

/** Common slips, answered with the right key. */
const DID_YOU_MEAN: Record<string, string> = {
  licenses: 'licences',
  license: 'licences',
  failOn: 'fail_on',
  ticketOn: 'ticket_on',
  enforceSafetensors: 'enforce_safetensors',
  ignorePaths: 'ignore_paths',
  ignore: 'ignore_paths',
  trustedGlobals: 'trusted_globals',
  hardenedModules: 'hardened_modules',
  pinnedHashes: 'pinned_hashes',
  allowlist: 'allow',
  expiry: 'expires',
  expires_at: 'expires',
  reason: 'justification',
  ruleId: 'rule',
};

/** `allow[2].expires` from `['allow', 2, 'expires']`. */
function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number'
        ? `[${part}]`
        : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** Locates schema issues in the YAML: the node at the issue's path, or its nearest ancestor. */
class IssueLocator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  line(path: readonly PropertyKey[]): number | undefined {
    for (let depth = path.length; depth >= 0; depth--) {
      const node =
        depth === 0
          ? this.doc.contents
          : (this.doc.getIn(path.slice(0, depth), true) as Node | undefined);
      const offset = node?.range?.[0];
      if (offset !== undefined) return this.lines.linePos(offset).line;
    }
    return undefined;
  }

  /** The line of a key (not its value) in the mapping at `path`. */
  keyLine(path: readonly PropertyKey[], key: string): number | undefined {
    const map =
      path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    if (isMap(map)) {
      const pair = map.items.find(
        item => isScalar(item.key) && String(item.key.value) === key,
      );
      const offset = (pair?.key as Node | undefined)?.range?.[0];
      if (offset !== undefined) return this.lines.linePos(offset).line;
    }
    return this.line(path);
  }

  issues(error: z.ZodError): PolicyIssue[] {
    const issues = error.issues.flatMap((issue): PolicyIssue[] => {
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeysAt(issue.path);
        return issue.keys.map(key => ({
          key: keyPath([...issue.path, key]),
          line: this.keyLine(issue.path, key),
          message: `unknown key; ${
            DID_YOU_MEAN[key]
              ? `did you mean "${DID_YOU_MEAN[key]}"?`
              : `known keys: ${known.join(', ')}`
          }`,
        }));
      }
      return [
        {
          key: keyPath(issue.path),
          line: this.line(issue.path),
          message: issue.message,
        },
      ];
    });
    // Document order, so the list reads top to bottom like the file.
    return issues
      .map((issue, index) => ({ issue, index }))
      .sort(
        (a, b) =>
          (a.issue.line ?? 0) - (b.issue.line ?? 0) || a.index - b.index,
      )
      .map(({ issue }) => issue);
  }
}

/**
 * Digests and fingerprints that are all digits (or `12e45...`) parse as YAML numbers and lose
 * digits; they are read as written.
 */
function keepHexAsWritten(doc: Document): void {
  const asWritten = (node: unknown) => {
    if (isScalar(node) && typeof node.value === 'number' && node.source)
      node.value = node.source;
  };
  const pins = doc.get('pinned_hashes', true);
  if (isMap(pins)) for (const pair of pins.items) asWritten(pair.value);
  const allow = doc.get('allow', true);
  if (isSeq(allow))
    for (const entry of allow.items)
      if (isMap(entry)) asWritten(entry.get('fingerprint', true));
}

function toPolicy(
  file: PolicyFile,
  allowLines: (index: number) => number | undefined,
): Policy {
  const policy: Policy = structuredClone(DEFAULT_POLICY) as Policy;
  policy.failOn = file.fail_on ?? policy.failOn;
  policy.ticketOn = file.ticket_on ?? policy.ticketOn;
  policy.enforceSafetensors =
    file.enforce_safetensors ?? policy.enforceSafetensors;
  if (file.rules) policy.rules = file.rules;
  if (file.allow) {
    policy.allow = file.allow.map((entry, index): AllowEntry => {
      const { owner, justification, expires, ...matchers } = entry;
      const defined = Object.fromEntries(
        Object.entries(matchers).filter(([, value]) => value !== undefined),
      );
      return {
        ...defined,
        owner,
        justification,
        expires,
        line: allowLines(index),
      };
    });
  }
  if (file.ignore_paths) policy.ignorePaths = file.ignore_paths;
  if (file.limits)
    policy.limits = Object.fromEntries(
      Object.entries(file.limits).filter(([, value]) => value !== undefined),
    );
  if (file.trusted_globals) policy.trustedGlobals = file.trusted_globals;
  if (file.hardened_modules) policy.hardenedModules = file.hardened_modules;
  if (file.pinned_hashes) policy.pinnedHashes = file.pinned_hashes;
  if (file.signatures) {
    const { signatures } = file;
    policy.signatures = {
      required: signatures.require_signature ?? false,
      file: signatures.signature_file,
      signers: (signatures.signers ?? []).map(s => ({
        publicKey: s.public_key,
        subject: s.subject,
        issuer: s.issuer,
      })),
      trustedRoots: signatures.trusted_roots ?? [],
      tlogKeys: signatures.tlog_keys ?? [],
      trustedRoot: signatures.trusted_root,
      trustedRootFile: signatures.trusted_root_file,
      thresholds: signatures.thresholds,
    };
  }
  if (file.image_platforms) policy.imagePlatforms = file.image_platforms;
  if (file.licences !== undefined) policy.licences = file.licences;
  if (file.fail_on_missing_license !== undefined)
    policy.failOnMissingLicence = file.fail_on_missing_license;
  if (file.osv !== undefined) policy.osv = file.osv;
  if (file.datasets !== undefined) policy.datasets = file.datasets;
  return policy;
}

/**
 * Parses and strictly validates a policy file (format `mlgov/v1`) against the policy schema
 * (`policySchema.ts`, published as `schema/policy.schema.json`). Unknown keys, unknown rule IDs,
 * wrong types and incomplete allow entries are errors, all reported at once with the key path and
 * line. `source` names the file in messages.
 *
 * @public
 */
export function parsePolicy(text: string, source = 'policy.yaml'): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    logLevel: 'error',
    prettyErrors: false,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    throw new PolicyError(
      source,
      doc.errors.map(error => ({
        key: '',
        line: lineCounter.linePos(error.pos[0]).line,
        message: error.message.split('\n')[0],
      })),
    );
  }
  keepHexAsWritten(doc);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new PolicyError(source, [
      { key: '', line: undefined, message: (error as Error).message },
    ]);
  }
  const locator = new IssueLocator(doc, lineCounter);
  const parsed = POLICY_FILE_SCHEMA.safeParse(value);
  if (!parsed.success)
    throw new PolicyError(source, locator.issues(parsed.error));
  return toPolicy(parsed.data, index => locator.line(['allow', index]));
}
