import type { Signal } from '../../model/evidence';
import { severityRank, type Severity } from '../../model/severity';
import type { DependencyGraph, GraphPackage } from '../graph';
import {
  LOADER_ADVISORIES,
  type LoaderAdvisory,
} from '../data/loaderAdvisories';
import { compareVersions, publicVersion, satisfiesAll } from '../pep440';
import { locationOfPackage } from './location';

/**
 * torch and keras versions whose "safe" loading paths can still run code. A locked or pinned version
 * is graded by the advisories; an unpinned range that admits an affected version is reported at
 * medium at most, since the resolved version is unknown.
 */
export function checkLoaderVersions(graph: DependencyGraph): Signal[] {
  const signals: Signal[] = [];
  const byPackage = new Map<string, LoaderAdvisory[]>();
  for (const advisory of LOADER_ADVISORIES)
    byPackage.set(advisory.package, [
      ...(byPackage.get(advisory.package) ?? []),
      advisory,
    ]);
  for (const [name, advisories] of byPackage) {
    const pkg = graph.packages.get(name);
    if (!pkg) continue;
    const exact = pkg.version !== undefined;
    const hits = advisories.filter(advisory =>
      exact ? affects(advisory, pkg.version!) : admitsAffected(advisory, pkg),
    );
    if (hits.length === 0) continue;
    const worst = hits.reduce<Severity>(
      (max, a) =>
        severityRank(a.severity) > severityRank(max) ? a.severity : max,
      'info',
    );
    const fixedIn = hits
      .map(a => a.fixed)
      .sort((a, b) => compareVersions(b, a) ?? 0)[0];
    const ids = hits.map(a => a.id);
    const ranges = pkg.requirements.map(r => r.specifier).filter(Boolean);
    signals.push({
      ruleId: hits[0].ruleId,
      message: exact
        ? `${name} ${pkg.version} is affected by ${hits
            .map(a => `${a.id} (${a.summary})`)
            .join('; ')}; upgrade to ${fixedIn} or later`
        : `${name} is not pinned or locked${
            ranges.length ? ` (${ranges.join(' / ')})` : ''
          } and the range admits versions affected by ${ids.join(
            ', ',
          )}; require ${name}>=${fixedIn}`,
      location: locationOfPackage(pkg),
      evidence: {
        package: name,
        version: pkg.version,
        dependencyPath: pkg.paths[0],
        advisories: ids,
        fixedIn,
      },
      key: name,
      severity: exact ? worst : capAtMedium(worst),
    });
  }
  return signals;
}

/** The resolved version is unknown: an admitted bug is worth a ticket, not a block. */
function capAtMedium(severity: Severity): Severity {
  return severityRank(severity) > severityRank('medium') ? 'medium' : severity;
}

function affects(advisory: LoaderAdvisory, version: string): boolean {
  const v = publicVersion(version);
  const belowFix = compareVersions(v, advisory.fixed);
  if (belowFix === undefined || belowFix >= 0) return false;
  if (!advisory.introduced) return true;
  return (compareVersions(v, advisory.introduced) ?? -1) >= 0;
}

function admitsAffected(advisory: LoaderAdvisory, pkg: GraphPackage): boolean {
  const declared = pkg.requirements.filter(r => !r.url);
  if (declared.length === 0) return !pkg.requirements.some(r => r.url);
  // Every declaration constrains the install (requirements + constraints): all must admit it.
  return declared.every(
    r => satisfiesAll(advisory.lastAffected, r.clauses) !== false,
  );
}
