import { InputError } from '@backstage/errors';
import { SEVERITIES } from '@ml-governance/plugin-ml-governance-common';
import { z } from 'zod';
import { MAX_CURSOR_LENGTH } from '../database/keyset';

/**
 * Query and body schemas of every route. Objects are strict: an unknown parameter or property is a
 * 400, so a typo (or a probe) never silently falls back to a default.
 */

/** `a,b` or repeated `?x=a&x=b` → `['a', 'b']`; anything but strings is refused. */
const csvList = <T extends z.ZodType>(item: T) =>
  z.preprocess(value => {
    if (value === undefined) return undefined;
    const values = Array.isArray(value) ? value : [value];
    if (!values.every(v => typeof v === 'string')) return value; // let z.array(item) reject it
    return values
      .flatMap(v => v.split(','))
      .map(part => part.trim())
      .filter(Boolean);
  }, z.array(item).max(16).optional());

/**
 * A query integer: `?limit=10` (the OpenAPI validator may already have coerced it to a number);
 * no arrays, objects or `1e3`.
 */
const queryInt = (options: { min: number; max: number; default: number }) =>
  z
    .union([
      z
        .string()
        .regex(/^\d{1,9}$/, 'expected a whole number')
        .transform(Number),
      z.number(),
    ])
    .pipe(z.number().int().min(options.min).max(options.max))
    .optional()
    .transform(value => value ?? options.default);

const ENTITY_REF_MAX = 255;

/** A keyset cursor as we issue them (base64url); what it holds is checked when it is decoded. */
const cursor = z
  .string()
  .min(1)
  .max(MAX_CURSOR_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor we issued')
  .optional();

export const noQuery = z.strictObject({});

export const findingsQuery = z.strictObject({
  status: csvList(z.enum(['open', 'accepted', 'resolved'])),
  severity: csvList(z.enum(SEVERITIES)),
  ruleId: z.string().max(128).optional(),
  q: z.string().max(200).optional(),
  offset: queryInt({ min: 0, max: 1_000_000, default: 0 }),
  limit: queryInt({ min: 1, max: 500, default: 50 }),
  cursor,
  orderBy: z
    .enum(['severity', 'firstSeenAt', 'lastSeenAt', 'ruleId', 'path'])
    .optional(),
  order: z.enum(['asc', 'desc']).optional(),
});

export const scansQuery = z.strictObject({
  limit: queryInt({ min: 1, max: 200, default: 20 }),
  cursor,
});

export const acceptanceStatus = z.enum([
  'requested',
  'active',
  'rejected',
  'expired',
  'revoked',
]);

export const acceptancesQuery = z.strictObject({
  view: z.enum(['to-decide', 'mine', 'all']),
  status: csvList(acceptanceStatus),
  limit: queryInt({ min: 1, max: 500, default: 200 }),
  cursor,
});

export const teamQuery = z.strictObject({
  trendDays: queryInt({ min: 1, max: 730, default: 90 }),
  entityLimit: queryInt({ min: 1, max: 1000, default: 500 }),
  entityCursor: cursor,
});

export const reportQuery = z.strictObject({
  owner: z.string().max(ENTITY_REF_MAX).optional(),
});

export const reportExportQuery = z.strictObject({
  format: z.enum(['csv', 'json']).default('json'),
  owner: z.string().max(ENTITY_REF_MAX).optional(),
});

/** POSTs that take no input still get a body check: `{}` (or nothing) and nothing else. */
export const emptyBody = z.strictObject({});

export const acceptanceRequestBody = z.strictObject({
  entityRef: z.string().min(1).max(ENTITY_REF_MAX),
  fingerprint: z.string().min(1).max(128).optional(),
  ruleId: z.string().min(1).max(128).optional(),
  justification: z
    .string()
    .trim()
    .min(10, 'Explain why the risk is acceptable (at least 10 characters)')
    .max(4000),
  checklist: z.strictObject({
    inActiveUse: z.boolean(),
    saferAlternativeAvailable: z.boolean(),
    saferAlternativePlan: z.string().max(4000).optional(),
    sourceTrustedAndHashPinned: z.boolean(),
  }),
  expiresAt: z.iso.datetime({ offset: true }),
});

export const decisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().trim().min(1, 'A decision needs a comment').max(4000),
  revision: z.number().int().min(1).max(1_000_000),
});

export const revokeBody = z.strictObject({
  comment: z.string().trim().min(1, 'A revocation needs a comment').max(4000),
  revision: z.number().int().min(1).max(1_000_000),
});

/** Limits of an uploaded CI scan (docs/configuration.md, "CI scan uploads"). */
export const CI_SCAN_LIMITS = {
  findings: 25_000,
  text: 4_000,
  path: 1_024,
  evidenceKeys: 32,
  list: 16,
};

const ciText = (max = CI_SCAN_LIMITS.text) => z.string().max(max);
const ciScanFinding = z.strictObject({
  fingerprint: z.string().min(1).max(128),
  target: z.string().min(1).max(CI_SCAN_LIMITS.path),
  ruleId: z.string().min(1).max(128),
  title: ciText(512),
  severity: z.enum(SEVERITIES),
  cwe: z.array(z.string().max(32)).max(CI_SCAN_LIMITS.list),
  owaspLlm: z.array(z.string().max(32)).max(CI_SCAN_LIMITS.list),
  message: ciText(),
  location: z.strictObject({
    path: z.string().max(CI_SCAN_LIMITS.path),
    entry: z
      .array(z.string().max(CI_SCAN_LIMITS.path))
      .max(CI_SCAN_LIMITS.list)
      .optional(),
    offset: z.number().int().min(0).optional(),
    line: z.number().int().min(0).optional(),
    column: z.number().int().min(0).optional(),
  }),
  // Evidence is shown, never interpreted: flat scalars only, so a payload cannot nest without bound.
  evidence: z
    .record(
      z.string().max(64),
      z.union([ciText(), z.number(), z.boolean(), z.null()]),
    )
    .refine(
      value => Object.keys(value).length <= CI_SCAN_LIMITS.evidenceKeys,
      'too many evidence keys',
    ),
  fix: ciText(),
  retest: ciText(),
  docsUrl: z.string().max(CI_SCAN_LIMITS.path),
});

/** `mlgov scan --report-to`'s upload. `decision` is accepted (the CLI sends it) and ignored. */
export const ciScanBody = z.strictObject({
  findings: z.array(ciScanFinding).max(CI_SCAN_LIMITS.findings),
  decision: z.enum(['BLOCK', 'TICKET', 'PASS']).optional(),
  commitSha: z
    .string()
    .regex(/^[0-9a-fA-F]{7,64}$/, 'expected a hexadecimal commit SHA')
    .optional(),
  runUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
});

/** Parses with `schema` or throws an InputError (400) that names each offending field. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: 'query' | 'body',
): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(i => `${[where, ...i.path].join('.')}: ${i.message}`)
        .join('; '),
    );
  }
  return result.data;
}
