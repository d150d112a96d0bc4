import type { ProjectAnalyzer } from '../engine/ProjectAnalyzer';

export const SOURCE_ANALYZERS: ProjectAnalyzer[] = [];
