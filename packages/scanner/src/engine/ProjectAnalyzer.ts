import type { ByteSource } from '../io/ByteSource';
import type { PathRequest } from '../io/ScanTree';
import type { Signal } from '../model/evidence';
import type { ScanLimits } from '../model/limits';
import type { Component } from '../model/component';
import type { ReaderOptions } from './FormatReader';

/**
 * Whole-project analysis that needs more than one file at a time: the dependency graph across
 * manifests and lock files, Python source imports, stale-import reconciliation.
 * Analyzers run after the file walk, in order; they share `facts` (e.g. the source analyzer
 * publishes imports that the stale-import analyzer compares with declared dependencies).
 *
 * @public
 */
export interface ProjectContext {
  /** Absolute path of the scanned directory. */
  readonly root: string;
  /** Every non-ignored regular file, relative to `root`, `/`-separated, sorted. */
  readonly files: readonly string[];
  /**
   * Reads a file as UTF-8 text; throws a LimitExceededError above `limits.maxTextBytes`. Like
   * `openSource`, it goes through the scan tree: a path that is absolute, climbs with `..` or
   * resolves through a link outside the root is reported as SCAN-PATH-ESCAPE and throws a
   * PathEscapeError, which callers skip silently (the finding is already out).
   */
  readText(path: string, request?: PathRequest): Promise<string>;
  /** Opens a file of the tree for random access (hashing, large reads); the caller closes it. */
  openSource(path: string): Promise<ByteSource & { close(): Promise<void> }>;
  readonly limits: ScanLimits;
  readonly options: ReaderOptions;
  emit(signal: Signal): void;
  addComponent(component: Component): void;
  /** Components the format readers described during the walk (models, with their card licences). */
  readonly components: readonly Component[];
  /** Shared between analyzers of one scan. Keys are documented by the analyzer that sets them. */
  readonly facts: Map<string, unknown>;
}

/**
 * Analyses a scanned folder as a whole (dependencies, source, model folders, licences), after the
 * format readers.
 *
 * @public
 */
export interface ProjectAnalyzer {
  id: string;
  analyze(ctx: ProjectContext): Promise<void>;
}
