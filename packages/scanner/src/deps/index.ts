import type { ProjectAnalyzer } from '../engine/ProjectAnalyzer';
import { DependencyAnalyzer } from './DependencyAnalyzer';
import { VulnerabilityAnalyzer } from '../vulns/VulnerabilityAnalyzer';

/**
 * In run order: the dependency analyzer publishes FACT_DEPENDENCIES, the vulnerability analyzer
 * (OSV, off unless `options.osv.mode` says otherwise) reads it.
 */
export const DEPENDENCY_ANALYZERS: ProjectAnalyzer[] = [
  new DependencyAnalyzer(),
  new VulnerabilityAnalyzer(),
];
