import { normalizeName } from '../names';
import { parseSpecifierSet, pinnedVersion } from '../pep440';
import {
  emptyResult,
  snippetOf,
  type DeclaredRequirement,
  type ManifestResult,
} from '../model';
import {
  arrayOf,
  isTable,
  lineOf,
  safeJson,
  stringOf,
  tableAt,
  tomlDocument,
} from './structured';
import { isCommitPinned } from './requirementsTxt';

/** `Pipfile.lock` (JSON): `default`/`develop` maps of pinned packages with hashes. It records no edges. */
export function parsePipfileLock(text: string, file: string): ManifestResult {
  const result = emptyResult('pipfile-lock', file);
  const parsed = safeJson(text);
  if (!parsed.ok || !isTable(parsed.value)) {
    result.problems.push({
      file,
      message: parsed.ok ? 'Pipfile.lock is not a JSON object' : parsed.error,
    });
    return result;
  }
  const doc = parsed.value;
  for (const source of arrayOf(tableAt(doc, '_meta')?.sources).filter(
    isTable,
  )) {
    const url = stringOf(source.url);
    if (url)
      result.indexes.indexUrls.push({ url, file, line: lineOf(text, url) });
  }
  for (const section of ['default', 'develop']) {
    for (const [rawName, value] of Object.entries(
      tableAt(doc, section) ?? {},
    )) {
      if (!isTable(value)) continue;
      const name = normalizeName(rawName);
      const version = stringOf(value.version)?.replace(/^==/, '');
      result.packages.push({
        name,
        version,
        dependencies: [],
        source: stringOf(value.git) ?? stringOf(value.index),
        hashes: arrayOf(value.hashes).filter(
          (h): h is string => typeof h === 'string',
        ),
        file,
        line: lineOf(text, `"${rawName}": {`),
      });
    }
  }
  return result;
}

/** `Pipfile` (TOML): `[packages]`/`[dev-packages]` with a constraint string or a table. */
export function parsePipfile(text: string, file: string): ManifestResult {
  const result = emptyResult('pipfile', file);
  const doc = tomlDocument(text, result);
  if (!doc) return result;
  for (const [i, source] of arrayOf(doc.source).filter(isTable).entries()) {
    const url = stringOf(source.url);
    if (!url) continue;
    const entry = { url, file, line: lineOf(text, url) };
    if (i === 0) result.indexes.indexUrls.push(entry);
    else result.indexes.extraIndexUrls.push(entry);
  }
  for (const [section, group] of [
    ['packages', undefined],
    ['dev-packages', 'dev'],
  ] as const) {
    for (const [rawName, value] of Object.entries(
      tableAt(doc, section) ?? {},
    )) {
      const spec =
        typeof value === 'string'
          ? value
          : (isTable(value) && stringOf(value.version)) || '';
      const clauses = spec === '*' ? [] : parseSpecifierSet(spec);
      const line = lineOf(text, `${rawName} =`) ?? lineOf(text, rawName);
      if (!clauses) {
        result.problems.push({
          file,
          line,
          message: `invalid version "${snippetOf(spec)}" for ${rawName}`,
        });
        continue;
      }
      const git = isTable(value) ? stringOf(value.git) : undefined;
      const ref = isTable(value) ? stringOf(value.ref) : undefined;
      let url: string | undefined;
      if (git) url = `git+${git}${ref ? `@${ref}` : ''}`;
      else if (isTable(value))
        url = stringOf(value.path) ?? stringOf(value.file);
      const requirement: DeclaredRequirement = {
        name: normalizeName(rawName),
        rawName,
        extras: isTable(value)
          ? arrayOf(value.extras).filter(
              (e): e is string => typeof e === 'string',
            )
          : [],
        specifier: spec === '*' ? '' : spec,
        clauses,
        pinned: pinnedVersion(clauses),
        url,
        urlPinnedToCommit: url ? isCommitPinned(url) : undefined,
        hashes: [],
        group,
        file,
        line,
        snippet: snippetOf(`${rawName} = ${JSON.stringify(value)}`),
      };
      result.requirements.push(requirement);
    }
  }
  return result;
}
