import type { Signal } from '../../model/evidence';
import type { Severity } from '../../model/severity';
import type { DependencyGraph } from '../graph';
import {
  DEFAULT_SERIALIZATION_ALLOWLIST,
  RISKY_SERIALIZATION_PACKAGES,
  type SerializationAllowEntry,
} from '../data/riskySerialization';
import { locationOfPackage } from './location';

/**
 * Risky serialisation libraries in the graph: medium when the project depends on one directly, low
 * when something else brings it in, info when every path matches a known-safe use (which is quoted).
 */
export function checkRiskySerialization(
  graph: DependencyGraph,
  extraAllowlist: readonly SerializationAllowEntry[],
): Signal[] {
  const allowlist = [...extraAllowlist, ...DEFAULT_SERIALIZATION_ALLOWLIST];
  const signals: Signal[] = [];
  for (const pkg of graph.packages.values()) {
    const why = Object.hasOwn(RISKY_SERIALIZATION_PACKAGES, pkg.name)
      ? RISKY_SERIALIZATION_PACKAGES[pkg.name]
      : undefined;
    if (!why) continue;
    const allowed = allowlist.find(
      entry =>
        entry.package === pkg.name &&
        coversEveryPath(entry, pkg.paths, pkg.direct),
    );
    const path = pkg.paths[0];
    let how = 'locked';
    if (pkg.direct) how = 'declared directly';
    else if (path) how = `pulled in by ${path.slice(1, -1).join(' → ')}`;
    signals.push({
      ruleId: 'DEP-RISKY-SERIALIZATION',
      message: allowed
        ? `${pkg.name} is ${how}; known-safe use: ${allowed.reason}`
        : `${pkg.name} is ${how}: ${why}`,
      location: locationOfPackage(pkg),
      evidence: {
        package: pkg.name,
        version: pkg.version,
        dependencyPath: path,
        direct: pkg.direct,
        ...(allowed ? { allowlisted: allowed.reason } : {}),
      },
      key: pkg.name,
      severity: severityOf(Boolean(allowed), pkg.direct),
    });
  }
  return signals;
}

function severityOf(allowed: boolean, direct: boolean): Severity {
  if (allowed) return 'info';
  return direct ? 'medium' : 'low';
}

function coversEveryPath(
  entry: SerializationAllowEntry,
  paths: string[][],
  direct: boolean,
): boolean {
  if (!entry.via) return true;
  if (direct || paths.length === 0) return false;
  // Each known path must pass through an allowed parent (the package's own position excluded).
  return paths.every(path =>
    path.slice(1, -1).some(parent => entry.via!.includes(parent)),
  );
}
