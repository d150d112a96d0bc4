import { normalizeName } from '../names';
import { emptyResult, type LockedPackage, type ManifestResult } from '../model';
import {
  arrayOf,
  artifactHashes,
  isTable,
  lockEntries,
  stringOf,
  tableAt,
  tomlDocument,
  type Table,
} from './structured';

/**
 * `uv.lock`: `[[package]]` entries with `dependencies = [{ name, extra? }]`, per-extra
 * `optional-dependencies` and per-group `dev-dependencies`. Workspace members have an
 * `editable`/`virtual` source and are the graph's roots.
 */
export function parseUvLock(text: string, file: string): ManifestResult {
  const result = emptyResult('uv-lock', file);
  const doc = tomlDocument(text, result);
  if (!doc) return result;
  const entries = lockEntries(doc, 'package', text, result);
  const byName = new Map<string, Table>();
  for (const { entry, name } of entries)
    if (!byName.has(name)) byName.set(name, entry);
  // Extras requested anywhere in the lock pull in that package's optional dependencies.
  const requestedExtras = new Map<string, Set<string>>();
  const dependencyNames = (list: unknown): string[] =>
    arrayOf(list)
      .filter(isTable)
      .flatMap(dep => {
        const name = stringOf(dep.name);
        if (!name) return [];
        const normalized = normalizeName(name);
        for (const extra of arrayOf(dep.extra)) {
          if (typeof extra === 'string') {
            const set = requestedExtras.get(normalized) ?? new Set<string>();
            set.add(normalizeName(extra));
            requestedExtras.set(normalized, set);
          }
        }
        return [normalized];
      });

  const packages: LockedPackage[] = [];
  for (const { entry, rawName, name, line } of entries) {
    const source = tableAt(entry, 'source') ?? {};
    const isRoot =
      typeof source.editable === 'string' || typeof source.virtual === 'string';
    const dependencies = dependencyNames(entry.dependencies);
    if (isRoot) {
      // The project's own dev groups are direct dependencies too.
      for (const group of Object.values(
        tableAt(entry, 'dev-dependencies') ?? {},
      ))
        dependencies.push(...dependencyNames(group));
      for (const group of Object.values(
        tableAt(entry, 'optional-dependencies') ?? {},
      ))
        dependencies.push(...dependencyNames(group));
    }
    const hashes = artifactHashes([entry.sdist, ...arrayOf(entry.wheels)]);
    packages.push({
      name,
      version: stringOf(entry.version),
      dependencies,
      isRoot,
      source:
        stringOf(source.registry) ??
        stringOf(source.git) ??
        stringOf(source.url) ??
        stringOf(source.path) ??
        stringOf(source.directory),
      hashes,
      file,
      line,
    });
    if (isRoot) result.projectName ??= rawName;
  }
  for (const pkg of packages) {
    const extras = requestedExtras.get(pkg.name);
    const optional = tableAt(byName.get(pkg.name), 'optional-dependencies');
    if (!extras || !optional || pkg.isRoot) continue;
    for (const [extra, deps] of Object.entries(optional)) {
      if (extras.has(normalizeName(extra)))
        pkg.dependencies.push(...dependencyNames(deps));
    }
  }
  for (const pkg of packages) pkg.dependencies = [...new Set(pkg.dependencies)];
  result.packages = packages;
  return result;
}
