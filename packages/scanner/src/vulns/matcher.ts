import { normalizeName } from '../deps/names';
import { compareVersions, publicVersion } from '../deps/pep440';
import type { OsvAffected, OsvEvent, OsvRecord } from './osvRecord';

export interface OsvMatch {
  /** true/false when decided; undefined when the record gives nothing we can compare (no PyPI ranges or versions). */
  affected: boolean | undefined;
  /** Lowest fixed version above the checked one, when the record names one. */
  fixedIn?: string;
}

function isPyPi(affected: OsvAffected, name: string): boolean {
  const ecosystem = affected.package?.ecosystem ?? '';
  return (
    (ecosystem === 'PyPI' || ecosystem.startsWith('PyPI:')) &&
    normalizeName(affected.package?.name ?? '') === name
  );
}

function eventVersion(event: OsvEvent): string | undefined {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit;
}

/** `introduced: "0"` sorts first; otherwise PEP 440 order (unparseable versions last, so they never open a range early). */
function byVersion(a: OsvEvent, b: OsvEvent): number {
  const x = eventVersion(a) ?? '';
  const y = eventVersion(b) ?? '';
  if (x === y) return 0;
  if (x === '0') return -1;
  if (y === '0') return 1;
  return compareVersions(x, y) ?? 0;
}

/**
 * One matcher for online and offline OSV data: PEP 503 names, the version compared without its
 * local label (`2.5.1+cu121` is 2.5.1), `versions[]` exact hits, then ECOSYSTEM ranges walked in
 * PEP 440 order (introduced opens, fixed closes, last_affected closes after itself).
 */
export function matchOsvRecord(
  record: OsvRecord,
  packageName: string,
  version: string,
): OsvMatch {
  if (record.withdrawn) return { affected: false };
  const name = normalizeName(packageName);
  const candidate = publicVersion(version.trim());
  if (compareVersions(candidate, candidate) === undefined)
    return { affected: undefined };
  let decided = false;
  let fixedIn: string | undefined;
  for (const affected of record.affected ?? []) {
    if (!isPyPi(affected, name)) continue;
    for (const listed of affected.versions ?? []) {
      decided = true;
      if (compareVersions(candidate, publicVersion(listed)) === 0)
        return { affected: true, fixedIn: fixedAbove(affected, candidate) };
    }
    for (const range of affected.ranges ?? []) {
      if (range.type !== 'ECOSYSTEM' || !Array.isArray(range.events)) continue;
      decided = true;
      let inRange = false;
      for (const event of [...range.events].sort(byVersion)) {
        if (event.introduced !== undefined) {
          if (
            event.introduced === '0' ||
            (compareVersions(candidate, event.introduced) ?? -1) >= 0
          )
            inRange = true;
        } else if (event.fixed !== undefined) {
          if ((compareVersions(candidate, event.fixed) ?? -1) >= 0)
            inRange = false;
        } else if (event.last_affected !== undefined) {
          if ((compareVersions(candidate, event.last_affected) ?? -1) > 0)
            inRange = false;
        } else if (event.limit !== undefined) {
          if ((compareVersions(candidate, event.limit) ?? -1) >= 0)
            inRange = false;
        }
      }
      if (inRange)
        return { affected: true, fixedIn: fixedAbove(affected, candidate) };
    }
  }
  return { affected: decided ? false : undefined, fixedIn };
}

function fixedAbove(
  affected: OsvAffected,
  version: string,
): string | undefined {
  const fixes = (affected.ranges ?? [])
    .flatMap(range => range.events ?? [])
    .map(event => event.fixed)
    .filter(
      (fixed): fixed is string =>
        typeof fixed === 'string' &&
        (compareVersions(fixed, version) ?? -1) > 0,
    );
  return fixes.sort((a, b) => compareVersions(a, b) ?? 0)[0];
}
