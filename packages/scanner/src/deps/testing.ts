import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Scanner } from '../engine/Scanner';
import type { ReaderOptions } from '../engine/FormatReader';
import type { ProjectAnalyzer } from '../engine/ProjectAnalyzer';
import { FACT_DEPENDENCIES, type DependencyFacts } from '../engine/facts';
import { DEPENDENCY_ANALYZERS } from '.';

/**
 * Test helper: writes `files` into a fresh temporary project folder and scans it through the real
 * engine with the dependency analyzers; also captures the published FACT_DEPENDENCIES.
 */
export async function scanProject(
  files: Record<string, string>,
  readerOptions: ReaderOptions = {},
  folderName = 'app',
) {
  const root = join(await mkdtemp(join(tmpdir(), 'mlgov-deps-')), folderName);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  let facts: DependencyFacts | undefined;
  const capture: ProjectAnalyzer = {
    id: 'capture-facts',
    async analyze(ctx) {
      facts = ctx.facts.get(FACT_DEPENDENCIES) as DependencyFacts | undefined;
    },
  };
  const result = await new Scanner({
    readers: [],
    analyzers: [...DEPENDENCY_ANALYZERS, capture],
    readerOptions,
  }).scanPath(root);
  return { result, facts: facts!, findings: result.findings, root };
}
