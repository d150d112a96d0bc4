import { normalizeName } from '../names';
import { emptyResult, type ManifestResult } from '../model';
import {
  arrayOf,
  artifactHashes,
  isTable,
  lockEntries,
  stringOf,
  tableAt,
  tomlDocument,
} from './structured';

/**
 * `poetry.lock`: `[[package]]` with a `[package.dependencies]` table (name → constraint or table).
 * Optional dependencies only come in through extras, which the lock does not resolve per consumer,
 * so they are left out rather than guessed.
 */
export function parsePoetryLock(text: string, file: string): ManifestResult {
  const result = emptyResult('poetry-lock', file);
  const doc = tomlDocument(text, result);
  if (!doc) return result;
  for (const { entry, name, line } of lockEntries(
    doc,
    'package',
    text,
    result,
  )) {
    const dependencies = Object.entries(tableAt(entry, 'dependencies') ?? {})
      .filter(([, spec]) => !(isTable(spec) && spec.optional === true))
      .map(([dep]) => normalizeName(dep));
    const source = tableAt(entry, 'source');
    result.packages.push({
      name,
      version: stringOf(entry.version),
      dependencies,
      source: source
        ? `${stringOf(source.type) ?? ''}:${stringOf(source.url) ?? ''}`
        : undefined,
      hashes: artifactHashes(arrayOf(entry.files)),
      file,
      line,
    });
  }
  return result;
}
