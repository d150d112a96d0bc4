import type {
  ProjectAnalyzer,
  ProjectContext,
} from '../engine/ProjectAnalyzer';
import type { DeclaredPackage } from '../engine/facts';
import {
  distributionForImport,
  normaliseDistribution,
  RISKY_DISTRIBUTIONS,
} from './data/distributions';
import { findPackage, readDependencyFacts } from './dependencyFacts';
import {
  FACT_PYTHON_IMPORTS,
  type PythonImport,
  type PythonImportFacts,
} from './facts';

const MAX_LISTED_FILES = 10;

/**
 * The quarterly stale-import report's input: compares the risky distributions the project
 * declares (FACT_DEPENDENCIES) with what its own source imports (`python.imports`).
 * - declared directly but imported nowhere → SOURCE-STALE-DEPENDENCY (attack surface for nothing);
 * - imported but not declared directly → SOURCE-UNDECLARED-IMPORT (escapes dependency review).
 * Without a dependency graph, or without any Python source, there is nothing to compare: it stays quiet.
 */
export class ImportReconciliationAnalyzer implements ProjectAnalyzer {
  readonly id = 'python-import-reconciliation';

  async analyze(ctx: ProjectContext): Promise<void> {
    const dependencies = readDependencyFacts(ctx.facts);
    const imports = ctx.facts.get(FACT_PYTHON_IMPORTS) as
      | PythonImportFacts
      | undefined;
    if (!dependencies || !imports || imports.firstPartyFiles === 0) return;

    const importsByDistribution = new Map<string, PythonImport[]>();
    for (const site of imports.imports) {
      if (site.relative) continue;
      const distribution = distributionForImport(
        site.topLevel,
        dependencies.importToDistribution,
      );
      importsByDistribution.set(distribution, [
        ...(importsByDistribution.get(distribution) ?? []),
        site,
      ]);
    }

    for (const pkg of dependencies.packages) {
      const name = normaliseDistribution(pkg.name);
      if (
        pkg.direct &&
        name in RISKY_DISTRIBUTIONS &&
        !importsByDistribution.has(name)
      )
        this.reportStale(ctx, pkg, name);
    }
    for (const [distribution, sites] of importsByDistribution) {
      if (!(distribution in RISKY_DISTRIBUTIONS)) continue;
      const declared = findPackage(dependencies, distribution);
      if (!declared?.direct)
        this.reportUndeclared(ctx, distribution, sites, declared);
    }
  }

  private reportStale(ctx: ProjectContext, pkg: DeclaredPackage, name: string) {
    const manifest = pkg.declaredIn[0] ?? '.';
    ctx.emit({
      ruleId: 'SOURCE-STALE-DEPENDENCY',
      message: `${name} is declared in ${manifest} but no Python file of the project imports it (${RISKY_DISTRIBUTIONS[name]})`,
      location: { path: manifest },
      evidence: {
        package: name,
        version: pkg.version,
        declaredIn: pkg.declaredIn,
      },
      key: name,
    });
  }

  private reportUndeclared(
    ctx: ProjectContext,
    distribution: string,
    sites: PythonImport[],
    declared?: DeclaredPackage,
  ) {
    const [first] = sites;
    const dependencyPath = declared?.paths[0];
    const how = dependencyPath
      ? `only arrives transitively (${dependencyPath.join(' → ')})`
      : 'is not declared in any manifest';
    const files = [...new Set(sites.map(site => site.path))];
    ctx.emit({
      ruleId: 'SOURCE-UNDECLARED-IMPORT',
      message: `${first.module} is imported (${files.length} file${
        files.length === 1 ? '' : 's'
      }) but ${distribution} ${how} (${RISKY_DISTRIBUTIONS[distribution]})`,
      location: { path: first.path, line: first.line },
      evidence: {
        package: distribution,
        version: declared?.version,
        dependencyPath,
        symbol: first.module,
        guard: first.guard,
        importedIn: files.slice(0, MAX_LISTED_FILES),
      },
      key: distribution,
    });
  }
}
