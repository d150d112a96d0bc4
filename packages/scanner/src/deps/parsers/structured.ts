// Parsers load on first use: a scan without manifests does not pay for them at start-up.
let tomlModule: typeof import('smol-toml') | undefined;
let yamlModule: typeof import('yaml') | undefined;
const parseToml: typeof import('smol-toml').parse = text =>
  (tomlModule ??= require('smol-toml')).parse(text);
const parseYaml = (
  text: string,
  options: import('yaml').ParseOptions &
    import('yaml').DocumentOptions &
    import('yaml').SchemaOptions &
    import('yaml').ToJSOptions,
) =>
  (yamlModule ??= require('yaml') as typeof import('yaml')).parse(
    text,
    options,
  );
import { normalizeName } from '../names';

/** Helpers shared by the TOML/JSON/YAML manifest readers: safe parsing and shape checks. */

export type Parsed =
  | { ok: true; value: unknown }
  | { ok: false; error: string; line?: number };

export function safeToml(text: string): Parsed {
  try {
    return { ok: true, value: parseToml(text) };
  } catch (error) {
    const line = (error as { line?: unknown }).line;
    return {
      ok: false,
      error: `invalid TOML: ${firstLine(error)}`,
      line: typeof line === 'number' ? line : undefined,
    };
  }
}

export function safeJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${firstLine(error)}` };
  }
}

/** YAML with aliases capped: an alias bomb in an environment file must not expand without bound. */
export function safeYaml(text: string): Parsed {
  try {
    return {
      ok: true,
      value: parseYaml(text, {
        logLevel: 'error',
        maxAliasCount: 100,
        uniqueKeys: false,
      }),
    };
  } catch (error) {
    const linePos = (error as { linePos?: { line: number }[] }).linePos;
    return {
      ok: false,
      error: `invalid YAML: ${firstLine(error)}`,
      line: linePos?.[0]?.line,
    };
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .split('\n')[0]
    .slice(0, 160);
}

export type Table = Record<string, unknown>;

export function isTable(value: unknown): value is Table {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date)
  );
}

export function tableAt(value: unknown, ...path: string[]): Table | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (!isTable(current)) return undefined;
    current = current[key];
  }
  return isTable(current) ? current : undefined;
}

export function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * 1-based line of the first occurrence of `needle` in `text` (structured parsers lose positions;
 * a nearby line is still useful evidence). Searches from `from` (a line hint) when given.
 */
export function lineOf(text: string, needle: string): number | undefined {
  if (!needle) return undefined;
  const index = text.indexOf(needle);
  if (index < 0) return undefined;
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Line of each `[[package]]` entry's `name = "…"` in a TOML lock file, in one pass (a per-package
 * search would be quadratic on a 5,000-package lock).
 */
export function packageNameLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const pattern = /^name\s*=\s*"([^"]+)"/gm;
  let line = 1;
  let position = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    for (let i = position; i < match.index; i++)
      if (text.charCodeAt(i) === 10) line++;
    position = match.index;
    const name = normalizeName(match[1]);
    if (!lines.has(name)) lines.set(name, line);
  }
  return lines;
}

/** Parses a TOML manifest; a syntax error becomes a problem of `result` and the result is undefined. */
export function tomlDocument(
  text: string,
  result: {
    file: string;
    problems: { file: string; message: string; line?: number }[];
  },
): Table | undefined {
  const parsed = safeToml(text);
  if (parsed.ok) return parsed.value as Table;
  result.problems.push({
    file: result.file,
    message: parsed.error,
    line: parsed.line,
  });
  return undefined;
}

export interface LockEntry {
  entry: Table;
  rawName: string;
  /** PEP 503 normalised. */
  name: string;
  line?: number;
}

/** The `[[key]]` tables of a TOML lock that have a name, with their lines; nameless ones are problems. */
export function lockEntries(
  doc: Table,
  key: string,
  text: string,
  result: {
    file: string;
    problems: { file: string; message: string; line?: number }[];
  },
): LockEntry[] {
  const lines = packageNameLines(text);
  const entries: LockEntry[] = [];
  for (const entry of arrayOf(doc[key]).filter(isTable)) {
    const rawName = stringOf(entry.name);
    if (!rawName) {
      result.problems.push({
        file: result.file,
        message: `a [[${key}]] entry has no name`,
      });
      continue;
    }
    const name = normalizeName(rawName);
    entries.push({ entry, rawName, name, line: lines.get(name) });
  }
  return entries;
}

/** `hash` fields of artifact tables (`files = [{file, hash}]`, uv `wheels`). */
export function artifactHashes(artifacts: unknown[]): string[] {
  return artifacts
    .filter(isTable)
    .map(artifact => stringOf(artifact.hash))
    .filter((hash): hash is string => Boolean(hash));
}
