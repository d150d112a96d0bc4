import { normalizeName } from '../names';
import { parsePep508 } from '../pep508';
import { emptyResult, type ManifestResult } from '../model';

export interface CoreMetadata {
  name?: string;
  version?: string;
  requiresDist: string[];
  license?: string;
  licenseExpression?: string;
  classifiers: string[];
}

const MAX_HEADER_LINES = 20_000;

/** Headers that appear once (the first one wins), by lower-case name. */
const SINGLE_FIELDS: Record<
  string,
  'name' | 'version' | 'license' | 'licenseExpression'
> = {
  name: 'name',
  version: 'version',
  license: 'license',
  'license-expression': 'licenseExpression',
};

/** Core metadata (RFC 822 style headers up to the first blank line; the body is the description). */
export function readCoreMetadata(text: string): CoreMetadata {
  const metadata: CoreMetadata = { requiresDist: [], classifiers: [] };
  const lines = text.split(/\r\n|\n|\r/);
  let key: string | undefined;
  let value = '';
  const flush = () => {
    if (!key) return;
    const v = value.trim();
    // Own keys only: a header called `constructor` must not reach Object.prototype.
    const single = Object.hasOwn(SINGLE_FIELDS, key)
      ? SINGLE_FIELDS[key]
      : undefined;
    if (single) metadata[single] ??= v;
    else if (key === 'requires-dist') metadata.requiresDist.push(v);
    else if (key === 'classifier') metadata.classifiers.push(v);
    key = undefined;
    value = '';
  };
  for (let i = 0; i < lines.length && i < MAX_HEADER_LINES; i++) {
    const line = lines[i];
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      value += `\n${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    key = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1);
  }
  flush();
  return metadata;
}

/**
 * One installed distribution (`<dist>.dist-info/METADATA` with its sibling `top_level.txt` or
 * `RECORD`). Requirements guarded by an `extra == …` marker are left out: they are only installed
 * when someone asks for the extra.
 */
export function parseInstalledDistribution(
  metadataText: string,
  file: string,
  siblings: { topLevel?: string; record?: string } = {},
): ManifestResult {
  const result = emptyResult('installed', file);
  const metadata = readCoreMetadata(metadataText);
  if (!metadata.name) {
    result.problems.push({
      file,
      line: 1,
      message: 'METADATA has no Name header',
    });
    return result;
  }
  const name = normalizeName(metadata.name);
  const dependencies: string[] = [];
  for (const spec of metadata.requiresDist) {
    const parsed = parsePep508(spec);
    if (!parsed.ok) {
      result.problems.push({
        file,
        message: `unreadable Requires-Dist: ${parsed.error}`,
        severity: 'low',
      });
      continue;
    }
    if (
      parsed.requirement.marker &&
      /\bextra\s*==/.test(parsed.requirement.marker)
    )
      continue;
    dependencies.push(parsed.requirement.name);
  }
  result.packages.push({
    name,
    version: metadata.version,
    dependencies: [...new Set(dependencies)],
    hashes: [],
    licence: {
      expression: metadata.licenseExpression,
      text: metadata.license,
      classifiers: metadata.classifiers.filter(c => c.startsWith('License ::')),
    },
    file,
    line: 1,
  });
  for (const importName of importNamesOf(siblings))
    result.importNames[importName] = name;
  return result;
}

/** Top-level import names: `top_level.txt` when present, else the first path segment of RECORD's Python files. */
function importNamesOf(siblings: {
  topLevel?: string;
  record?: string;
}): string[] {
  if (siblings.topLevel !== undefined) {
    return [
      ...new Set(
        siblings.topLevel
          .split(/\r?\n/)
          .map(l => l.trim())
          .filter(l => /^[A-Za-z_][\w]*$/.test(l)),
      ),
    ];
  }
  const names = new Set<string>();
  for (const line of (siblings.record ?? '').split(/\r?\n/)) {
    const path = line.split(',')[0] ?? '';
    if (
      path.startsWith('..') ||
      path.startsWith('/') ||
      /\.dist-info\/|\.data\/|__pycache__/.test(path)
    )
      continue;
    const first = path.split('/')[0];
    if (path.includes('/') && /^[A-Za-z_]\w*$/.test(first)) names.add(first);
    else if (
      /^([A-Za-z_]\w*)\.(py|so|pyd)$/.test(first) ||
      /^([A-Za-z_]\w*)\.[\w.-]+\.(so|pyd)$/.test(first)
    )
      names.add(first.split('.')[0]);
  }
  return [...names];
}
