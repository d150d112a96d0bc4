import type { ByteSource } from '../io/ByteSource';
import type { Location, Signal } from '../model/evidence';
import type { ScanLimits } from '../model/limits';
import type { Component } from '../model/component';

/** What the engine hands a reader: one file or archive member. */
export interface ReaderInput {
  source: ByteSource;
  /** File or member name (last path segment of the member inside its archive, or of the file). */
  name: string;
  /** Where this input is; readers extend it with `offset`/`line` for their signals. */
  location: Location;
  /** First bytes (up to 4 KiB) already read for sniffing. */
  head: Uint8Array;
}

/** Nested content that a container hands back to the engine to be sniffed and dispatched. */
export interface ChildInput {
  /** Member name inside the container (full member path, `/`-separated). */
  name: string;
  source: ByteSource;
  /** Options for this member and what it contains, over the policy's (e.g. `torchScriptArchive`). */
  options?: Partial<ReaderOptions>;
}

export interface ReaderContext {
  readonly limits: ScanLimits;
  /** Nesting depth of this input: 0 for a file on disk, +1 per enclosing archive. */
  readonly depth: number;
  /** Report one observation. */
  emit(signal: Signal): void;
  /** Describe what was found, for the CycloneDX ML-BOM (models, packages, licences). */
  addComponent(component: Component): void;
  /** Scan a member of this container. The engine checks depth and other limits. */
  scanChild(child: ChildInput): Promise<void>;
  /** Throws a ScanTimeoutError when the per-file time budget is spent; call it in long loops. */
  checkDeadline(): void;
  /** Format label for the file record ("pytorch-zip", "joblib"...), shown in reports. */
  setFormat(format: string): void;
  /** Reader options from the policy (e.g. allowlisted pickle globals, hardened libraries). */
  readonly options: ReaderOptions;
}

/**
 * Options a policy passes to readers. Keys are owned by the reader that documents them.
 */
export interface ReaderOptions {
  /** Extra `module.name` (or `module.*`) pickle globals trusted by the policy's allowlists. */
  trustedGlobals?: string[];
  /** Python modules whose loaders are hardened (e.g. an internal `model_utils`). */
  hardenedModules?: string[];
  /** SHA-256 pins: path (relative to the scan root) → expected hex digest. */
  pinnedHashes?: Record<string, string>;
  /**
   * Set by the zip reader on members of a TorchScript archive: their pickles are read by
   * torch.jit.load's own unpickler, which resolves `__torch__.*` to classes compiled from code/
   * (analysed separately) and builds lists with `torch.jit._pickle.build_*`.
   */
  torchScriptArchive?: boolean;
  /**
   * The whole project is serving code (the catalog entity is a service or model server, or an
   * inference image): every first-party module counts as serving, not only app/api/serve paths.
   */
  servingProject?: boolean;
  [key: string]: unknown;
}

/**
 * One format. Readers are stateless: `sniff` is a cheap test on the first bytes, `read` emits signals.
 * A reader must never execute or deserialise content; parse errors become signals (SCAN-ERROR or a
 * format-specific structural rule), not exceptions.
 */
export interface FormatReader {
  /** Stable format ID, e.g. `pickle`, `zip`, `safetensors`. */
  id: string;
  /** Higher runs first when several readers claim the same input (specific before generic). */
  priority: number;
  sniff(head: Uint8Array, name: string, size: number): boolean;
  /**
   * Optional second look at the end of the input (up to TAIL_BYTES). A reader that claims the tail
   * runs in addition to the one chosen by the head: a pickle with a zip appended is both, and loaders
   * that find a zip by its end record (zipfile.is_zipfile) would open the zip.
   */
  sniffTail?(tail: Uint8Array, size: number): boolean;
  read(input: ReaderInput, ctx: ReaderContext): Promise<void>;
}
