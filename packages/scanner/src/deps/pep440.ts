import { compare, valid } from '@renovatebot/pep440';

/**
 * PEP 440 ordering and specifier matching built on `@renovatebot/pep440`'s `compare()` only: its
 * `satisfies()` disagrees with Python `packaging` on exclusive bounds with pre/post/dev/epoch.
 */

/** A version string that PEP 440 accepts, or undefined. */
export function parseVersion(version: string | undefined): string | undefined {
  if (!version) return undefined;
  const trimmed = version.trim();
  return valid(trimmed) ? trimmed : undefined;
}

/** Sign of a - b in PEP 440 order; undefined when either side is not a PEP 440 version. */
export function compareVersions(a: string, b: string): number | undefined {
  if (!valid(a) || !valid(b)) return undefined;
  return Math.sign(compare(a, b));
}

/** The public part of a version: `2.5.1+cu121` → `2.5.1` (local labels never change vulnerability status). */
export function publicVersion(version: string): string {
  const plus = version.indexOf('+');
  return plus < 0 ? version : version.slice(0, plus);
}

export interface VersionClause {
  operator: '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';
  version: string;
}

const CLAUSE =
  /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([A-Za-z0-9][A-Za-z0-9.*+!_-]*)\s*$/;

/** Parses `>=1.0,<2,!=1.5.*`; undefined when any clause is malformed. */
export function parseSpecifierSet(text: string): VersionClause[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const clauses: VersionClause[] = [];
  for (const part of trimmed.split(',')) {
    const match = CLAUSE.exec(part);
    if (!match) return undefined;
    clauses.push({
      operator: match[1] as VersionClause['operator'],
      version: match[2],
    });
  }
  return clauses;
}

function releaseSegments(version: string): {
  epoch: string;
  release: string[];
  rest: string;
} {
  const lower = version.toLowerCase().replace(/^v/, '');
  const bang = lower.indexOf('!');
  const epoch = bang >= 0 ? lower.slice(0, bang) : '0';
  const body = bang >= 0 ? lower.slice(bang + 1) : lower;
  const match = /^(\d+(?:\.\d+)*)(.*)$/.exec(body);
  if (!match) return { epoch, release: [], rest: body };
  return { epoch, release: match[1].split('.'), rest: match[2] };
}

/** `==1.5.*` prefix match: compares the release segments, padding the candidate with zeros. */
function matchesPrefix(candidate: string, prefix: string): boolean {
  const want = releaseSegments(prefix);
  const have = releaseSegments(publicVersion(candidate));
  if (Number(want.epoch) !== Number(have.epoch)) return false;
  if (want.rest !== '') {
    // `==1.0rc1.*`-style prefixes are rare: fall back to a textual prefix test on the public version.
    return publicVersion(candidate)
      .toLowerCase()
      .startsWith(prefix.toLowerCase());
  }
  return want.release.every(
    (segment, i) => Number(segment) === Number(have.release[i] ?? '0'),
  );
}

function isPreOrDev(version: string): boolean {
  return /(a|b|c|rc|alpha|beta|pre|preview|dev)\d*/i.test(
    releaseSegments(publicVersion(version)).rest.replace(/post\d*/i, ''),
  );
}

function isPost(version: string): boolean {
  return /post|rev|r\d|-\d/i.test(releaseSegments(publicVersion(version)).rest);
}

function sameRelease(a: string, b: string): boolean {
  const x = releaseSegments(a);
  const y = releaseSegments(b);
  if (Number(x.epoch) !== Number(y.epoch)) return false;
  const length = Math.max(x.release.length, y.release.length);
  for (let i = 0; i < length; i++)
    if (Number(x.release[i] ?? '0') !== Number(y.release[i] ?? '0'))
      return false;
  return true;
}

/** Whether `version` satisfies one clause (PEP 440 "Version specifiers"); undefined when unknowable. */
export function satisfiesClause(
  version: string,
  clause: VersionClause,
): boolean | undefined {
  const { operator } = clause;
  if (operator === '===')
    return version.trim().toLowerCase() === clause.version.trim().toLowerCase();
  if (clause.version.endsWith('.*')) {
    const prefix = clause.version.slice(0, -2);
    if (!valid(publicVersion(version))) return undefined;
    if (operator === '==') return matchesPrefix(version, prefix);
    if (operator === '!=') return !matchesPrefix(version, prefix);
    return undefined;
  }
  // A specifier without a local label ignores the candidate's local label.
  const candidate = clause.version.includes('+')
    ? version
    : publicVersion(version);
  const order = compareVersions(candidate, clause.version);
  if (order === undefined) return undefined;
  switch (operator) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<=':
      return order <= 0;
    case '>=':
      return order >= 0;
    case '<':
      // `<V` excludes pre-releases of V itself unless V is a pre-release.
      return (
        order < 0 &&
        !(
          isPreOrDev(candidate) &&
          !isPreOrDev(clause.version) &&
          sameRelease(candidate, clause.version)
        )
      );
    case '>':
      // `>V` excludes post-releases of V unless V is a post-release.
      return (
        order > 0 &&
        !(
          isPost(candidate) &&
          !isPost(clause.version) &&
          sameRelease(candidate, clause.version)
        )
      );
    case '~=': {
      const segments = releaseSegments(clause.version).release;
      if (segments.length < 2) return undefined;
      const prefix = segments.slice(0, -1).join('.');
      const epoch = releaseSegments(clause.version).epoch;
      return (
        order >= 0 &&
        matchesPrefix(candidate, epoch === '0' ? prefix : `${epoch}!${prefix}`)
      );
    }
    default:
      return undefined;
  }
}

/** Whether `version` satisfies every clause; undefined when any clause cannot be decided. */
export function satisfiesAll(
  version: string,
  clauses: readonly VersionClause[],
): boolean | undefined {
  let result: boolean | undefined = true;
  for (const clause of clauses) {
    const ok = satisfiesClause(version, clause);
    if (ok === false) return false;
    if (ok === undefined) result = undefined;
  }
  return result;
}

/** The exact version a specifier set pins (`==1.2.3` without wildcard, or `===x`), if any. */
export function pinnedVersion(
  clauses: readonly VersionClause[],
): string | undefined {
  const exact = clauses.find(
    c =>
      (c.operator === '==' && !c.version.endsWith('.*')) ||
      c.operator === '===',
  );
  return exact?.version;
}
