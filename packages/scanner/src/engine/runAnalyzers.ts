// Runs the project analyzers over a scanned tree once its files are read, with their shared context.
import type { ScanTree } from '../io/ScanTree';
import type { ScanLimits } from '../model/limits';
import type { ReaderOptions } from './FormatReader';
import type { ProjectAnalyzer, ProjectContext } from './ProjectAnalyzer';
import { LimitExceededError } from './errors';
import type { Collector } from './Collector';
import { errorSignal } from './errorSignal';
import type { ReadCache } from './ReadCache';

/** What the scanner decided for the analyzers of all its scans. */
export interface AnalyzerSettings {
  analyzers: readonly ProjectAnalyzer[];
  limits: ScanLimits;
  readerOptions: ReaderOptions;
}

/** Runs each analyzer in order over `files` of `tree`; one that throws is a finding, not the end of the scan. */
export async function runAnalyzers(
  settings: AnalyzerSettings,
  tree: ScanTree,
  files: string[],
  collector: Collector,
  cache?: ReadCache,
) {
  if (settings.analyzers.length === 0) return;
  const limits = settings.limits;
  const ctx: ProjectContext = {
    root: tree.root,
    files,
    limits,
    options: settings.readerOptions,
    facts: new Map(),
    components: collector.components,
    emit: signal => collector.emit(signal),
    addComponent: component => collector.components.push(component),
    readText: (path, request) => {
      // Files the walk already read whole (through the tree) are not opened twice.
      const cached = request ? undefined : cache?.get(path);
      if (cached && cached.length <= limits.maxTextBytes)
        return Promise.resolve(
          // Decoded in place: Buffer.from(cached) would copy every cached file first.
          Buffer.from(
            cached.buffer,
            cached.byteOffset,
            cached.byteLength,
          ).toString('utf8'),
        );
      return tree.readText(
        path,
        limits.maxTextBytes,
        size =>
          new LimitExceededError(
            'maxTextBytes',
            `${path} is ${size} bytes, over the ${limits.maxTextBytes}-byte text limit`,
          ),
        request,
      );
    },
    openSource: path => tree.openSource(path),
  };
  for (const analyzer of settings.analyzers) {
    try {
      await analyzer.analyze(ctx);
    } catch (error) {
      collector.emit(errorSignal(error, analyzer.id, { path: '.' }));
    }
  }
}
