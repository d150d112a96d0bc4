import { opendir, realpath, stat as statPath } from 'node:fs/promises';
import { join, relative, sep, basename, resolve, dirname } from 'node:path';
import { BufferSource, type ByteSource } from '../io/ByteSource';
import { RemoteReadError } from '../io/RemoteByteSource';
import { PathEscapeError, ScanTree } from '../io/ScanTree';
import type { Location, Signal } from '../model/evidence';
import { DEFAULT_LIMITS, type ScanLimits } from '../model/limits';
import type { FileRecord, ScanResult } from '../model/finding';
import type { Component } from '../model/component';
import type {
  FormatReader,
  ReaderContext,
  ReaderOptions,
  ChildInput,
} from './FormatReader';
import type { ProjectAnalyzer, ProjectContext } from './ProjectAnalyzer';
import {
  SNIFF_BYTES,
  TAIL_BYTES,
  selectReaders,
  selectTailReaders,
} from './sniff';
import { LimitExceededError, ScanTimeoutError } from './errors';
import { matchesAny } from './glob';
import { Collector } from './Collector';
import { searchArchiveMember } from '../secrets/archiveMembers';

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

/** VCS and dependency folders: only files with model extensions are scanned inside them. */
const SKIPPED_DIRS = new Set([
  '.git',
  'node_modules',
  '.hg',
  '.svn',
  '__pycache__',
]);

/**
 * Extensions of files that a model loader would open. Such a file that no reader recognises is a
 * SCAN-UNSUPPORTED finding: unscannable input never passes silently. Other unrecognised files
 * (images, docs) are ignored.
 */
const MODEL_EXTENSIONS = new Set([
  'pt',
  'pth',
  'bin',
  'ckpt',
  'pkl',
  'pickle',
  'joblib',
  'dill',
  'h5',
  'hdf5',
  'keras',
  'onnx',
  'pb',
  'safetensors',
  'gguf',
  'ggml',
  'npy',
  'npz',
  'model',
  'mar',
  'tflite',
  'pdparams',
  'msgpack',
  'nemo',
  'mlmodel',
  'llamafile',
  'sav',
  'pkl.gz',
  'tar',
  'zip',
  '7z',
  'gz',
  'bz2',
  'xz',
  'zst',
  'data',
]);

/** Files scanned at once: their I/O overlaps; results are merged in file order, so output is the same. */
export const FILE_CONCURRENCY = 16;
/** Files up to this size are read with one read and scanned from memory (no head, tail and body reads). */
export const SMALL_FILE_BYTES = 64 * 1024;
/** Small files kept in memory for the project analyzers (source, manifests), so none is opened twice. */
const TEXT_CACHE_BYTES = 32 * 1024 * 1024;

/** Bytes of small files the engine already read, by relative path, bounded in total. */
class ReadCache {
  private readonly entries = new Map<string, Uint8Array>();
  private total = 0;
  keep(path: string, bytes: Uint8Array): void {
    if (this.total + bytes.length > TEXT_CACHE_BYTES) return;
    this.entries.set(path, bytes);
    this.total += bytes.length;
  }
  get(path: string): Uint8Array | undefined {
    return this.entries.get(path);
  }
}

function extensionOf(name: string): string {
  const lower = name.toLowerCase();
  const dot = lower.lastIndexOf('.');
  return dot <= 0 ? '' : lower.slice(dot + 1);
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
  private readonly readers: readonly FormatReader[];
  private readonly analyzers: readonly ProjectAnalyzer[];
  private readonly searchesSecrets: boolean;
  private readonly readerOptions: ReaderOptions;

  constructor(options: ScanOptions & { readers: readonly FormatReader[] }) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.readers = options.readers;
    this.analyzers = options.analyzers ?? [];
    // Archive members are searched for secrets when the project's text files are.
    this.searchesSecrets = this.analyzers.some(each => each.id === 'secrets');
    this.readerOptions = options.readerOptions ?? {};
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
      ? await this.listFiles(tree, options.ignore ?? [], collector)
      : [basename(absolute)];

    const cache = new ReadCache();
    // A bounded window of files in flight, each into its own collector, merged in list order: I/O
    // overlaps while findings, files and components come out exactly as a one-by-one scan gives them.
    const inFlight = new Map<number, Promise<Collector>>();
    const start = (index: number) => {
      const own = new Collector(displayRoot);
      inFlight.set(
        index,
        this.scanFile(
          files[index],
          () => tree.openOrRead(files[index], SMALL_FILE_BYTES),
          own,
          cache,
        ).then(() => own),
      );
    };
    for (let i = 0; i < Math.min(FILE_CONCURRENCY, files.length); i++) start(i);
    for (let i = 0; i < files.length; i++) {
      const own = await inFlight.get(i)!;
      inFlight.delete(i);
      if (i + FILE_CONCURRENCY < files.length) start(i + FILE_CONCURRENCY);
      collector.absorb(own);
      options.onProgress?.({
        filesDone: i + 1,
        filesTotal: files.length,
        path: files[i],
      });
    }
    await this.runAnalyzers(tree, files, collector, cache);
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
      await this.scanFile(
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
    await this.runAnalyzers(tree, [...options.analyzerFiles], collector);
    return collector.result(target, started);
  }

  /** Scans bytes held in memory as if they were a file called `name`. */
  async scanBytes(bytes: Uint8Array, name: string): Promise<ScanResult> {
    const started = Date.now();
    const collector = new Collector('');
    const source = new BufferSource(bytes);
    const record = collector.file(name, bytes.length);
    await this.scanTopLevel(source, name, record, collector);
    record.bytesRead = source.bytesRead;
    return collector.result(name, started);
  }

  private async listFiles(
    tree: ScanTree,
    ignore: readonly string[],
    collector: Collector,
  ): Promise<string[]> {
    const root = tree.root;
    const files: string[] = [];
    let truncated = false;
    // Inside VCS and dependency folders only files a model loader would open are scanned: git objects
    // and caches are not artifacts, but a checkpoint parked under node_modules/ must not hide there.
    const walk = async (dir: string, restricted: boolean): Promise<void> => {
      const entries = [];
      for await (const entry of await opendir(dir)) entries.push(entry);
      // Byte order, not locale order: the same tree always scans in the same order.
      entries.sort((a, b) => (a.name < b.name ? -1 : Number(a.name > b.name)));
      for (const entry of entries) {
        const full = join(dir, entry.name);
        const rel = relative(root, full).split(sep).join('/');
        if (matchesAny(rel, ignore)) continue;
        if (truncated) return;
        if (entry.isDirectory()) {
          await walk(full, restricted || SKIPPED_DIRS.has(entry.name));
        } else if (entry.isFile()) {
          if (restricted && !MODEL_EXTENSIONS.has(extensionOf(entry.name)))
            continue;
          if (files.length >= this.limits.maxFiles) {
            truncated = true;
            collector.emit({
              ruleId: 'SCAN-LIMIT',
              message: `More than ${this.limits.maxFiles} files: ${rel} and the files after it were not analysed`,
              location: { path: '.' },
              evidence: { limit: 'maxFiles', value: this.limits.maxFiles },
              key: 'maxFiles',
            });
            return;
          }
          files.push(rel);
        } else if (entry.isSymbolicLink()) {
          // Links are not followed: one inside the tree names a file scanned at its own path; one
          // leading out (or nowhere) is reported, since loaders do follow it.
          const status = await tree.linkStatus(rel);
          if (status !== 'inside') tree.reportLink(rel, status);
        }
      }
    };
    await walk(root, false);
    return files;
  }

  private async scanFile(
    path: string,
    open: () => Promise<
      | { bytes: Uint8Array }
      | { source: ByteSource & { close?(): Promise<void> } }
    >,
    collector: Collector,
    cache?: ReadCache,
  ): Promise<void> {
    let source: ByteSource & { close?(): Promise<void> };
    let small: Uint8Array | undefined;
    try {
      // Local files open through the scan tree, which refuses what resolves outside it (and reads
      // a small one whole at once).
      const opened = await open();
      if ('bytes' in opened) {
        small = opened.bytes;
        source = new BufferSource(small);
      } else source = opened.source;
      if (!small && source.size <= SMALL_FILE_BYTES) {
        // Read once, whole; scanned from memory and kept for the project analyzers.
        try {
          small = await source.read(0, source.size);
        } finally {
          await source.close?.();
        }
      }
    } catch (error) {
      if (error instanceof PathEscapeError) return; // reported by the tree
      collector.emit({
        ruleId:
          error instanceof RemoteReadError
            ? 'SCAN-REMOTE-INCOMPLETE'
            : 'SCAN-ERROR',
        message: `Cannot open file: ${(error as Error).message}`,
        location: { path },
        evidence: {},
        key: 'open',
      });
      return;
    }
    if (small) {
      const record = collector.file(path, small.length);
      record.bytesRead = small.length;
      cache?.keep(path, small);
      await this.scanTopLevel(new BufferSource(small), path, record, collector);
      return;
    }
    const record = collector.file(path, source.size);
    try {
      await this.scanTopLevel(source, path, record, collector);
    } catch (error) {
      // The sniffing reads happen before any reader runs; a remote file failing there is still a finding.
      if (!(error instanceof RemoteReadError)) throw error;
      collector.emit(errorSignal(error, 'sniff', { path }));
    } finally {
      record.bytesRead = source.bytesRead;
      await source.close?.();
    }
  }

  private async scanTopLevel(
    source: ByteSource,
    path: string,
    record: FileRecord,
    collector: Collector,
  ) {
    const deadline = Date.now() + this.limits.fileTimeoutMs;
    await this.dispatch({
      source,
      name: basename(path),
      location: { path },
      depth: 0,
      deadline,
      record,
      collector,
    });
  }

  private async dispatch(input: {
    source: ByteSource;
    name: string;
    location: Location;
    depth: number;
    deadline: number;
    record: FileRecord;
    collector: Collector;
    options?: ReaderOptions;
  }): Promise<void> {
    const { source, name, location, depth, deadline, record, collector } =
      input;
    const options = input.options ?? this.readerOptions;
    const head = await source.read(0, SNIFF_BYTES);
    const [reader] = selectReaders(this.readers, head, name, source.size);
    const readers = reader ? [reader] : [];
    // Only pay for a tail read when some other reader could claim the input by its end.
    if (this.readers.some(each => each !== reader && each.sniffTail)) {
      const tail =
        source.size <= head.length
          ? head
          : await source.read(
              Math.max(0, source.size - TAIL_BYTES),
              TAIL_BYTES,
            );
      readers.push(
        ...selectTailReaders(this.readers, reader, tail, source.size),
      );
    }
    if (depth > 0 && this.searchesSecrets)
      await searchArchiveMember({
        source,
        location,
        readerIds: readers.map(each => each.id),
        topLevel: record,
        emit: signal => collector.emit(signal),
      });
    if (readers.length === 0) {
      if (MODEL_EXTENSIONS.has(extensionOf(name)) && source.size > 0) {
        collector.emit({
          ruleId: 'SCAN-UNSUPPORTED',
          message: `No reader recognises the content of ${name} (${source.size} bytes); it was not analysed`,
          location,
          evidence: { magic: hex(head.subarray(0, 8)) },
          key: 'unsupported',
        });
      }
      return;
    }

    const ctx: ReaderContext = {
      limits: this.limits,
      depth,
      options,
      emit: signal => collector.emit(signal),
      addComponent: component => collector.components.push(component),
      setFormat: format => {
        if (!record.formats.includes(format)) record.formats.push(format);
      },
      checkDeadline: () => {
        if (Date.now() > deadline)
          throw new ScanTimeoutError(this.limits.fileTimeoutMs);
      },
      scanChild: async (child: ChildInput) => {
        const childLocation: Location = {
          path: location.path,
          entry: [...(location.entry ?? []), child.name],
        };
        if (depth + 1 > this.limits.maxDepth) {
          collector.emit({
            ruleId: 'SCAN-LIMIT',
            message: `Archive nesting deeper than ${this.limits.maxDepth} levels; ${child.name} was not analysed`,
            location: childLocation,
            evidence: { limit: 'maxDepth', value: this.limits.maxDepth },
            key: 'maxDepth',
          });
          return;
        }
        await this.dispatch({
          source: child.source,
          name: child.name.split('/').pop() ?? child.name,
          location: childLocation,
          depth: depth + 1,
          deadline,
          record,
          collector,
          options: child.options ? { ...options, ...child.options } : options,
        });
      },
    };

    for (const each of readers) {
      if (!record.formats.includes(each.id)) record.formats.push(each.id);
      try {
        await each.read({ source, name, location, head }, ctx);
      } catch (error) {
        collector.emit(errorSignal(error, each.id, location));
      }
    }
  }

  private async runAnalyzers(
    tree: ScanTree,
    files: string[],
    collector: Collector,
    cache?: ReadCache,
  ) {
    if (this.analyzers.length === 0) return;
    const limits = this.limits;
    const ctx: ProjectContext = {
      root: tree.root,
      files,
      limits,
      options: this.readerOptions,
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
    for (const analyzer of this.analyzers) {
      try {
        await analyzer.analyze(ctx);
      } catch (error) {
        collector.emit(errorSignal(error, analyzer.id, { path: '.' }));
      }
    }
  }
}

function errorSignal(
  error: unknown,
  component: string,
  location: Location,
): Signal {
  const err = error as Error;
  if (err instanceof RemoteReadError) {
    return {
      ruleId: 'SCAN-REMOTE-INCOMPLETE',
      message: `${component}: ${err.message}; the rest of this file was not analysed`,
      location,
      evidence: { reader: component },
      key: `${component}:remote`,
    };
  }
  if (err instanceof ScanTimeoutError || err instanceof LimitExceededError) {
    const limit = err instanceof ScanTimeoutError ? 'fileTimeoutMs' : err.limit;
    return {
      ruleId: 'SCAN-LIMIT',
      message: `${component}: ${err.message}; the rest was not analysed`,
      location,
      evidence: { limit },
      key: `${component}:${limit}`,
    };
  }
  return {
    ruleId: 'SCAN-ERROR',
    message: `${component} could not analyse this input: ${
      err?.message ?? String(error)
    }`,
    location,
    evidence: { reader: component },
    key: `${component}:error`,
  };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
