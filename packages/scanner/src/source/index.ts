import type { ProjectAnalyzer } from '../engine/ProjectAnalyzer';
import { ImportReconciliationAnalyzer } from './ImportReconciliationAnalyzer';
import { PythonSourceAnalyzer } from './PythonSourceAnalyzer';

/**
 * Python source analyzers, in run order (after the dependency analyzers):
 * 1. `python-source` finds risky calls in first- and third-party Python and publishes the
 *    project's imports under `python.imports` (`FACT_PYTHON_IMPORTS`): a `PythonImportFacts`
 *    `{ imports: PythonImport[], firstPartyFiles, parsedFiles, prefiltered }`, each import being
 *    `{ module, topLevel, name?, alias?, relative?, dynamic?, path, line, guard? }` — see `facts.ts`.
 * 2. `python-import-reconciliation` compares those imports with `python.dependencies`.
 *
 * Option read: `hardenedModules` (ReaderOptions).
 */
export const SOURCE_ANALYZERS: ProjectAnalyzer[] = [
  new PythonSourceAnalyzer(),
  new ImportReconciliationAnalyzer(),
];

export {
  FACT_PYTHON_IMPORTS,
  type PythonImport,
  type PythonImportFacts,
} from './facts';
