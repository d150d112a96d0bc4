import { parsePep508 } from '../pep508';
import { emptyResult, type ManifestResult } from '../model';
import {
  arrayOf,
  artifactHashes,
  lockEntries,
  stringOf,
  tomlDocument,
} from './structured';

/** `pdm.lock`: `[[package]]` with `dependencies` as PEP 508 strings. */
export function parsePdmLock(text: string, file: string): ManifestResult {
  const result = emptyResult('pdm-lock', file);
  const doc = tomlDocument(text, result);
  if (!doc) return result;
  for (const { entry, rawName, name, line } of lockEntries(
    doc,
    'package',
    text,
    result,
  )) {
    const dependencies: string[] = [];
    for (const spec of arrayOf(entry.dependencies)) {
      const dep = typeof spec === 'string' ? parsePep508(spec) : undefined;
      if (dep?.ok) dependencies.push(dep.requirement.name);
      else
        result.problems.push({
          file,
          line,
          message: `unreadable dependency of ${rawName}: ${
            dep && !dep.ok ? dep.error : 'not a string'
          }`,
        });
    }
    result.packages.push({
      name,
      version: stringOf(entry.version),
      dependencies: [...new Set(dependencies)],
      hashes: artifactHashes(arrayOf(entry.files)),
      file,
      line,
    });
  }
  return result;
}
