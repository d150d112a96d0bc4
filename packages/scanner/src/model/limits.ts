/**
 * Explicit resource limits. Every reader honours the ones that apply to it; exceeding one is a
 * `SCAN-LIMIT` signal (never a silent pass). Defaults are chosen so that real models scan well within
 * them while hostile inputs (bombs, deep nesting) stop early.
 *
 * @public
 */
export interface ScanLimits {
  /** Largest pickle stream (or pickle prefix of a file) read into memory, bytes. */
  maxPickleBytes: number;
  /** Maximum pickle opcodes walked per file. */
  maxPickleOps: number;
  /** Pickle containers (or open MARKs) nested deeper than this are a PICKLE-STRUCT finding. */
  maxPickleNesting: number;
  /** Maximum archive nesting depth (zip in zip in tar...). The top-level file is depth 0. */
  maxDepth: number;
  /** Maximum members examined in one archive. */
  maxEntries: number;
  /** Largest decompressed size of one archive member that is read, bytes. */
  maxEntryBytes: number;
  /** Largest total decompressed bytes across one top-level file's members, bytes. */
  maxTotalBytes: number;
  /** Largest compression ratio (uncompressed / compressed) tolerated for a member. */
  maxCompressionRatio: number;
  /** Largest text file (manifest, source, JSON config, model card) read, bytes. */
  maxTextBytes: number;
  /** Largest header/metadata block read for header-based formats (safetensors, GGUF, ONNX...), bytes. */
  maxHeaderBytes: number;
  /** Wall-clock budget per top-level file, milliseconds. */
  fileTimeoutMs: number;
  /** Maximum files visited in a tree walk. */
  maxFiles: number;
}

/**
 * The limits a scan runs under unless its policy or caller sets others.
 *
 * @public
 */
export const DEFAULT_LIMITS: ScanLimits = {
  maxPickleBytes: 256 * 1024 * 1024,
  maxPickleOps: 50_000_000,
  maxPickleNesting: 1000,
  maxDepth: 5,
  maxEntries: 200_000,
  maxEntryBytes: 512 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxTextBytes: 16 * 1024 * 1024,
  maxHeaderBytes: 100 * 1024 * 1024,
  fileTimeoutMs: 60_000,
  maxFiles: 500_000,
};
