import {
  FACT_DEPENDENCIES,
  type DeclaredPackage,
  type DependencyFacts,
} from '../engine/facts';
import { normaliseDistribution } from './data/distributions';

function isDeclaredPackage(value: unknown): value is DeclaredPackage {
  const candidate = value as DeclaredPackage;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.direct === 'boolean' &&
    Array.isArray(candidate.paths) &&
    Array.isArray(candidate.declaredIn)
  );
}

/**
 * The dependency graph published by the dependency analyzers, when they ran and found manifests.
 * Another analyzer wrote it: malformed entries are dropped rather than trusted.
 */
export function readDependencyFacts(
  facts: ReadonlyMap<string, unknown>,
): DependencyFacts | undefined {
  const value = facts.get(FACT_DEPENDENCIES) as
    | Partial<DependencyFacts>
    | undefined;
  if (!value || typeof value !== 'object' || !Array.isArray(value.packages))
    return undefined;
  const mapping = value.importToDistribution;
  const importToDistribution: Record<string, string> = {};
  if (mapping && typeof mapping === 'object') {
    for (const [name, distribution] of Object.entries(mapping)) {
      if (typeof distribution === 'string')
        importToDistribution[name] = distribution;
    }
  }
  return {
    packages: value.packages.filter(isDeclaredPackage),
    importToDistribution,
  };
}

export function findPackage(
  facts: DependencyFacts | undefined,
  distribution: string,
): DeclaredPackage | undefined {
  const wanted = normaliseDistribution(distribution);
  return facts?.packages.find(
    pkg => normaliseDistribution(pkg.name) === wanted,
  );
}
