import { realpath, stat as statPath } from 'node:fs/promises';
import { basename, resolve, dirname } from 'node:path';
import { BufferSource, type ByteSource } from '../io/ByteSource';
import { ScanTree } from '../io/ScanTree';
import type { Signal } from '../model/evidence';
import { DEFAULT_LIMITS, type ScanLimits } from '../model/limits';
import type { ScanResult } from '../model/finding';
import type { Component } from '../model/component';
import type { FormatReader, ReaderOptions } from './FormatReader';
import type { ProjectAnalyzer } from './ProjectAnalyzer';
import { Collector } from './Collector';
import { FILE_CONCURRENCY, runInOrder } from './concurrency';
import { Dispatcher } from './Dispatcher';
import { listFiles } from './listFiles';
import { ReadCache } from './ReadCache';
import { type AnalyzerSettings, runAnalyzers } from './runAnalyzers';
import { SMALL_FILE_BYTES, scanFile } from './scanFile';

// Exported here too: the engine's tests size their fixtures by them.
export { FILE_CONCURRENCY, SMALL_FILE_BYTES };

/**
 * Limits, reader options, ignore globs and extra readers and analyzers of a scan.
 *
 * @public
 */
export interface ScanOptions {
  limits?: Partial<ScanLimits>;
  readers?: readonly FormatReader[];
  analyzers?: readonly ProjectAnalyzer[];
  readerOptions?: ReaderOptions;
  /** Globs of paths (relative to the target) not to scan. */
  ignore?: readonly string[];
  /** Called after each top-level file. */
  onProgress?: (progress: {
    filesDone: number;
    filesTotal: number;
    path: string;
  }) => void;
}

/**
 * One file of a tree that is not a local directory (a remote repository, bucket prefix, registry version).
 *
 * @public
 */
export interface ScanEntry {
  /** `/`-separated path relative to the tree's root. */
  path: string;
  open(): Promise<ByteSource & { close?(): Promise<void> }>;
}

/**
 * Options of scanning in-memory entries instead of a folder.
 *
 * @public
 */
export interface ScanEntriesOptions extends Pick<ScanOptions, 'onProgress'> {
  /** Local directory holding the entries project analyzers may read (small files fetched in full). */
  analyzerRoot: string;
  /** Files under `analyzerRoot`, `/`-separated, given to project analyzers. */
  analyzerFiles: readonly string[];
  /** Components known before reading any byte (e.g. what a model hub's API says about the model). */
  components?: readonly Component[];
  /** Signals about the tree itself (a listing that was cut short), emitted before the walk. */
  signals?: readonly Signal[];
}

/**
 * The scan engine: walks a tree (or one file), sniffs each file by content, dispatches it to the
 * reader that claims it, lets containers hand their members back, then runs project analyzers.
 * It holds no global state; one Scanner can run many scans.
 *
 * @public
 */
export class Scanner {
  private readonly limits: ScanLimits;
  private readonly dispatcher: Dispatcher;
  private readonly analyzerSettings: AnalyzerSettings;

  constructor(options: ScanOptions & { readers: readonly FormatReader[] }) {
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    const analyzers = options.analyzers ?? [];
    const readerOptions = options.readerOptions ?? {};
    this.limits = limits;
    this.dispatcher = new Dispatcher({
      limits,
      readers: options.readers,
      readerOptions,
      // Archive members are searched for secrets when the project's text files are.
      searchesSecrets: analyzers.some(each => each.id === 'secrets'),
    });
    this.analyzerSettings = { analyzers, limits, readerOptions };
  }

  /** Scans a directory or a single file on disk. */
  async scanPath(
    target: string,
    options: Pick<ScanOptions, 'ignore' | 'onProgress'> = {},
  ): Promise<ScanResult> {
    const started = Date.now();
    // The target itself was named by the caller, so a link there is followed; nothing under it is.
    const absolute = await realpath(resolve(target));
    const stat = await statPath(absolute);
    const root = stat.isDirectory() ? absolute : resolve(absolute, '..');
    // Retest commands name files as the user would from where they ran the scan.
    const displayRoot = stat.isDirectory() ? target : dirname(target);
    const collector = new Collector(displayRoot);
    const tree = await ScanTree.open(root, signal => collector.emit(signal));
    const files = stat.isDirectory()
      ? await listFiles(
          tree,
          options.ignore ?? [],
          this.limits.maxFiles,
          collector,
        )
      : [basename(absolute)];

    const cache = new ReadCache();
    // A bounded window of files in flight, each into its own collector, merged in list order: I/O
    // overlaps while findings, files and components come out exactly as a one-by-one scan gives them.
    await runInOrder(
      files.length,
      index => {
        const own = new Collector(displayRoot);
        return scanFile(
          this.dispatcher,
          files[index],
          () => tree.openOrRead(files[index], SMALL_FILE_BYTES),
          own,
          cache,
        ).then(() => own);
      },
      (own, i) => {
        collector.absorb(own);
        options.onProgress?.({
          filesDone: i + 1,
          filesTotal: files.length,
          path: files[i],
        });
      },
    );
    await runAnalyzers(this.analyzerSettings, tree, files, collector, cache);
    return collector.result(target, started);
  }

  /**
   * Scans files that are not a local tree, each opened by its own ByteSource (ranged remote reads),
   * with the same sniffing, readers and limits as `scanPath`. Project analyzers see `analyzerFiles`.
   */
  async scanEntries(
    target: string,
    entries: readonly ScanEntry[],
    options: ScanEntriesOptions,
  ): Promise<ScanResult> {
    const started = Date.now();
    const collector = new Collector(target);
    collector.components.push(...(options.components ?? []));
    for (const signal of options.signals ?? []) collector.emit(signal);
    let done = 0;
    for (const entry of entries.slice(0, this.limits.maxFiles)) {
      await scanFile(
        this.dispatcher,
        entry.path,
        async () => ({ source: await entry.open() }),
        collector,
      );
      done++;
      options.onProgress?.({
        filesDone: done,
        filesTotal: entries.length,
        path: entry.path,
      });
    }
    if (entries.length > this.limits.maxFiles) {
      collector.emit({
        ruleId: 'SCAN-LIMIT',
        message: `More than ${this.limits.maxFiles} files: ${
          entries[this.limits.maxFiles].path
        } and the files after it were not analysed`,
        location: { path: '.' },
        evidence: { limit: 'maxFiles', value: this.limits.maxFiles },
        key: 'maxFiles',
      });
    }
    // The analyzers read the local copies of the entries' text files through a tree rooted there.
    const tree = await ScanTree.open(options.analyzerRoot, signal =>
      collector.emit(signal),
    );
    await runAnalyzers(
      this.analyzerSettings,
      tree,
      [...options.analyzerFiles],
      collector,
    );
    return collector.result(target, started);
  }

  /** Scans bytes held in memory as if they were a file called `name`. */
  async scanBytes(bytes: Uint8Array, name: string): Promise<ScanResult> {
    const started = Date.now();
    const collector = new Collector('');
    const source = new BufferSource(bytes);
    const record = collector.file(name, bytes.length);
    await this.dispatcher.scanTopLevel(source, name, record, collector);
    record.bytesRead = source.bytesRead;
    return collector.result(name, started);
  }
}
