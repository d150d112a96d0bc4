import { normalizeName } from '../names';
import { emptyResult, type ManifestResult } from '../model';
import {
  arrayOf,
  isTable,
  lockEntries,
  stringOf,
  tableAt,
  tomlDocument,
} from './structured';

/**
 * PEP 751 `pylock.toml` / `pylock.<name>.toml`: `[[packages]]` with optional `dependencies`
 * (tables naming other packages) and per-artifact `hashes`.
 */
export function parsePylock(text: string, file: string): ManifestResult {
  const result = emptyResult('pylock', file);
  const doc = tomlDocument(text, result);
  if (!doc) return result;
  if (typeof doc['lock-version'] !== 'string') {
    result.problems.push({
      file,
      message: 'pylock file has no lock-version',
      line: 1,
      severity: 'low',
    });
  }
  for (const { entry, name, line } of lockEntries(
    doc,
    'packages',
    text,
    result,
  )) {
    const artifacts = [
      entry.sdist,
      entry.archive,
      ...arrayOf(entry.wheels),
    ].filter(isTable);
    const hashes = artifacts.flatMap(artifact =>
      Object.entries(tableAt(artifact, 'hashes') ?? {}).map(
        ([alg, digest]) => `${alg}:${String(digest)}`,
      ),
    );
    const vcs = tableAt(entry, 'vcs');
    result.packages.push({
      name,
      version: stringOf(entry.version),
      dependencies: arrayOf(entry.dependencies)
        .filter(isTable)
        .map(dep => stringOf(dep.name))
        .filter((dep): dep is string => Boolean(dep))
        .map(normalizeName),
      source:
        stringOf(entry.index) ??
        (vcs
          ? `${stringOf(vcs.type) ?? 'vcs'}+${stringOf(vcs.url) ?? ''}`
          : undefined),
      hashes,
      file,
      line,
    });
  }
  return result;
}
