import type { ProjectAnalyzer } from '../engine/ProjectAnalyzer';

export const DEPENDENCY_ANALYZERS: ProjectAnalyzer[] = [];
