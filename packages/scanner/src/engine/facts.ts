/**
 * Facts shared between project analyzers (see ProjectContext.facts). The dependency analyzers run
 * first and publish the graph; the source analyzers read it (torch version for `torch.load`
 * severity, declared packages for stale-import reconciliation).
 */
export const FACT_DEPENDENCIES = 'python.dependencies';

export interface DeclaredPackage {
  /** PEP 503 normalised distribution name. */
  name: string;
  /** Exact version when pinned or locked. */
  version?: string;
  /** Declared by the project itself (not only pulled in by another package). */
  direct: boolean;
  /** Paths from the project root, shortest first: `[['app', 'scikit-learn', 'joblib']]`. */
  paths: string[][];
  /** Files that declare or lock it, relative to the scan root. */
  declaredIn: string[];
  /** SPDX licence expression when known. */
  license?: string;
}

export interface DependencyFacts {
  packages: DeclaredPackage[];
  /** Top-level import name → distribution name, from installed `top_level.txt`/`RECORD` when present. */
  importToDistribution: Record<string, string>;
}
