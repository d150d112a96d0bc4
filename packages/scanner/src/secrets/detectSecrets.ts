import { createHash } from 'node:crypto';
import { PLACEHOLDER_VALUES, SECRET_PATTERNS } from './patterns';

/** One credential found in a text. The secret itself is never part of it: only a preview and a hash. */
export interface SecretMatch {
  ruleId: string;
  /** Pattern ID (`aws-access-key-id`, `generic-high-entropy`). */
  kind: string;
  label: string;
  /** 1-based line and column in the text. */
  line: number;
  column: number;
  /** First 4 characters and `****`: enough to recognise it, not enough to use it. */
  redacted: string;
  /** SHA-256 of the secret, hex: acceptances and rotations refer to it. */
  sha256: string;
}

/** Lines longer than this are only searched for their first part: minified blobs are not configuration. */
const MAX_LINE_CHARS = 4096;
/** Texts above this are searched in their first part only; the caller reports the limit. */
export const MAX_SECRET_SCAN_CHARS = 8 * 1024 * 1024;
const MAX_MATCHES = 200;

/** Values assigned to a name that says "secret"; the value must also look random (entropy below). */
const GENERIC_ASSIGNMENT =
  /(?<name>[A-Za-z0-9_.-]*(?:secret|token|passw(?:or)?d|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?key|credential)[A-Za-z0-9_.-]*)["']?\s*(?::=|=|:)\s*["'](?<secret>[A-Za-z0-9+/=_\-.~!@#$%^&*]{16,200})["']/gi;
/** Bits per character above which a 16+ character value is taken as random. */
export const ENTROPY_THRESHOLD = 3.5;
/** Random-looking values that are not credentials: hashes, UUIDs, base64 of digests in lock files. */
const NOT_A_SECRET: readonly RegExp[] = [
  /^[0-9a-f]{32}$|^[0-9a-f]{40}$|^[0-9a-f]{64}$|^[0-9a-f]{128}$/i, // md5/sha1/sha256/sha512 hex
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // UUID
  /^sha(?:1|256|384|512)-/i, // SRI integrity
  // Password hashes stored on purpose (bcrypt, crypt(3) SHA-2, argon2, Django PBKDF2/scrypt): not reversible.
  /^\$(?:2[abxy]?|5|6|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*)\$/,
  /^(?:pbkdf2_sha(?:1|256)|argon2|bcrypt(?:_sha256)?|scrypt)\$/,
  // A file path (a key's location, a mounted secret), not its content.
  /^(?:\/|\.{1,2}\/|~\/)[\w.\-/]+$/,
];

export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

export function redactSecret(secret: string): string {
  return `${secret.slice(0, 4)}****`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_VALUES.some(pattern => pattern.test(value));
}

/** Cheap gate: a line without any of these characters sequences cannot hold one of our secrets. */
const INTERESTING =
  /AKIA|ASIA|ABIA|ACCA|secret|private|Key=|hf_|sk-|gh[pousr]_|github_pat_|gl(?:pat|dt|rt|ptt)-|xox|hooks\.slack|-----BEGIN|(?:postgres|mysql|mariadb|mongodb|redis|amqp|mssql|sqlserver)[a-z+]*:\/\/|token|passw|api[_-]?key|credential/i;

/**
 * Finds credentials in a text. Pure: the caller decides where the text came from and maps lines.
 * Each distinct secret is reported once per text (first occurrence).
 */
export function detectSecrets(text: string): SecretMatch[] {
  const matches: SecretMatch[] = [];
  if (!INTERESTING.test(text)) return matches;
  const seen = new Set<string>();
  const body =
    text.length > MAX_SECRET_SCAN_CHARS
      ? text.slice(0, MAX_SECRET_SCAN_CHARS)
      : text;
  const lines = body.split('\n');
  // PEM keys and JSON private_key values span lines (or escaped newlines): search them on the whole text.
  const multiLine = SECRET_PATTERNS.filter(
    p => p.id === 'pem-private-key' || p.id === 'gcp-service-account',
  );
  const lineStarts: number[] = [];
  let position = 0;
  for (const line of lines) {
    lineStarts.push(position);
    position += line.length + 1;
  }
  const lineOf = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low] + 1 };
  };
  const add = (
    ruleId: string,
    kind: string,
    label: string,
    secret: string,
    offset: number,
  ) => {
    if (matches.length >= MAX_MATCHES || isPlaceholder(secret)) return;
    const sha256 = hashSecret(secret);
    if (seen.has(sha256)) return;
    seen.add(sha256);
    matches.push({
      ruleId,
      kind,
      label,
      ...lineOf(offset),
      redacted: redactSecret(secret),
      sha256,
    });
  };

  if (body.includes('PRIVATE KEY')) {
    // The service-account pattern runs first; the PEM inside its `private_key` is the same secret.
    const covered: Array<[number, number]> = [];
    const ordered = [...multiLine].sort(a =>
      a.id === 'gcp-service-account' ? -1 : 1,
    );
    for (const pattern of ordered) {
      for (const match of body.matchAll(pattern.pattern)) {
        const secret = match.groups?.secret ?? match[0];
        const offset = match.index + match[0].indexOf(secret);
        if (covered.some(([from, to]) => offset >= from && offset < to))
          continue;
        covered.push([offset, offset + secret.length]);
        add(pattern.ruleId, pattern.id, pattern.label, secret, offset);
      }
    }
  }
  const singleLine = SECRET_PATTERNS.filter(
    pattern => !multiLine.includes(pattern),
  );
  lines.forEach((fullLine, index) => {
    const line =
      fullLine.length > MAX_LINE_CHARS
        ? fullLine.slice(0, MAX_LINE_CHARS)
        : fullLine;
    if (!INTERESTING.test(line)) return;
    const start = lineStarts[index];
    let specific = false;
    for (const pattern of singleLine) {
      for (const match of line.matchAll(pattern.pattern)) {
        const secret = match.groups?.secret ?? match[0];
        specific = true;
        add(
          pattern.ruleId,
          pattern.id,
          pattern.label,
          secret,
          start + match.index + match[0].indexOf(secret),
        );
      }
    }
    if (specific) return;
    for (const match of line.matchAll(GENERIC_ASSIGNMENT)) {
      const secret = match.groups!.secret;
      if (NOT_A_SECRET.some(pattern => pattern.test(secret))) continue;
      if (shannonEntropy(secret) < ENTROPY_THRESHOLD) continue;
      add(
        'SECRET-GENERIC',
        'generic-high-entropy',
        `High-entropy value assigned to ${match.groups!.name}`,
        secret,
        start + match.index + match[0].lastIndexOf(secret),
      );
    }
  });
  return matches;
}
