import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { NextFunction, Request, Response } from 'express';

/**
 * Limits every request string is held to before any route, store or policy sees it. A hostile client
 * must get a 400 (InputError) for input we cannot store faithfully — PostgreSQL rejects NUL bytes in
 * text with an error that would otherwise surface as a 500 — and never a half-applied write.
 */
export const REQUEST_LIMITS = {
  /** A path segment: entity kind/namespace/name are ≤ 63 (catalog rules), ids are UUIDs. */
  pathSegmentChars: 255,
  /** One query value. */
  queryValueChars: 1024,
  /** Number of query parameters (repeats included). */
  queryValues: 64,
  /** Any string in a JSON body (free text fields have their own, lower, schema limits). */
  bodyStringChars: 8192,
  /** Nesting of a JSON body. */
  bodyDepth: 8,
} as const;

/** C0 controls and DEL: never meaningful in a path or query value. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** In body text only NUL is refused (PostgreSQL cannot store it); newlines and tabs are text. */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const NUL = /\u0000/;

function checkQueryValue(
  key: string,
  value: unknown,
  depth: number,
  count: { n: number },
): void {
  if (++count.n > REQUEST_LIMITS.queryValues)
    throw new InputError('query: too many parameters');
  if (typeof value === 'string') {
    if (value.length > REQUEST_LIMITS.queryValueChars) {
      throw new InputError(
        `query.${key}: longer than ${REQUEST_LIMITS.queryValueChars} characters`,
      );
    }
    if (CONTROL_CHARS.test(value))
      throw new InputError(`query.${key}: contains control characters`);
    return;
  }
  // `?a[b]=c` and `?a=1&a=2` parse to objects/arrays; bound them and check their leaves. Route schemas
  // then decide whether such a shape is acceptable at all (most say no).
  if (depth > 2) throw new InputError(`query.${key}: nested too deeply`);
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (CONTROL_CHARS.test(k))
        throw new InputError(`query.${key}: contains control characters`);
      checkQueryValue(`${key}.${k}`, v, depth + 1, count);
    }
  }
}

function checkBodyValue(path: string, value: unknown, depth: number): void {
  if (depth > REQUEST_LIMITS.bodyDepth)
    throw new InputError(`${path}: nested too deeply`);
  if (typeof value === 'string') {
    if (value.length > REQUEST_LIMITS.bodyStringChars) {
      throw new InputError(
        `${path}: longer than ${REQUEST_LIMITS.bodyStringChars} characters`,
      );
    }
    if (NUL.test(value)) throw new InputError(`${path}: contains a NUL byte`);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (NUL.test(k) || k.length > 128)
        throw new InputError(`${path}: invalid property name`);
      checkBodyValue(`${path}.${k}`, v, depth + 1);
    }
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new InputError('path: malformed percent-encoding');
  }
}

/**
 * Express middleware (mount after the JSON body parser): refuses NUL/control characters and
 * overlong values in the path, query and body with a 400 before any route runs.
 */
export function rejectHostileInput(
  req: Request,
  _res: Response,
  next: NextFunction,
): void {
  for (const segment of req.path.split('/')) {
    if (segment.length > REQUEST_LIMITS.pathSegmentChars * 3)
      throw new InputError('path: segment too long');
    const decoded = decodeSegment(segment);
    if (decoded.length > REQUEST_LIMITS.pathSegmentChars) {
      throw new InputError(
        `path: segment longer than ${REQUEST_LIMITS.pathSegmentChars} characters`,
      );
    }
    if (CONTROL_CHARS.test(decoded))
      throw new InputError('path: contains control characters');
  }
  const count = { n: 0 };
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (CONTROL_CHARS.test(key) || key.length > 64)
      throw new InputError('query: invalid parameter name');
    checkQueryValue(key, value, 0, count);
  }
  if (req.body !== undefined) checkBodyValue('body', req.body, 0);
  next();
}

const catalogRules = makeValidator();

/** Catalog naming rules for the three parts of a ref; an InputError names the part that is wrong. */
function assertRefParts(
  parts: { kind: string; namespace: string; name: string },
  label: string,
) {
  if (!catalogRules.isValidKind(parts.kind))
    throw new InputError(`${label}: invalid kind`);
  if (!catalogRules.isValidNamespace(parts.namespace))
    throw new InputError(`${label}: invalid namespace`);
  if (!catalogRules.isValidEntityName(parts.name))
    throw new InputError(`${label}: invalid name`);
}

/** `kind:namespace/name` from a request body, normalised; malformed refs are an InputError, not a TypeError. */
export function parseEntityRefInput(
  value: string,
  label = 'entityRef',
): string {
  let parts: { kind: string; namespace: string; name: string };
  try {
    parts = parseEntityRef(value);
  } catch {
    throw new InputError(
      `${label}: not an entity ref of the form kind:namespace/name`,
    );
  }
  assertRefParts(parts, label);
  return stringifyEntityRef(parts);
}

/** The entity named by `/:kind/:namespace/:name` route params. */
export function entityRefFromParams(
  params: Record<string, string | undefined>,
): string {
  const parts = {
    kind: params.kind ?? '',
    namespace: params.namespace ?? '',
    name: params.name ?? '',
  };
  assertRefParts(parts, 'path');
  return stringifyEntityRef(parts);
}

/** A group ref from `/:namespace/:name` route params. */
export function groupRefFromParams(
  params: Record<string, string | undefined>,
): string {
  return entityRefFromParams({
    kind: 'group',
    namespace: params.namespace,
    name: params.name,
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Acceptance and report ids are UUIDs (`latest` is allowed where the route says so). */
export function idFromParams(
  params: Record<string, string | undefined>,
  options: { allowLatest?: boolean } = {},
) {
  const id = params.id ?? '';
  if (options.allowLatest && id === 'latest') return id;
  if (!UUID.test(id)) throw new InputError('path: id is not a UUID');
  return id.toLowerCase();
}
