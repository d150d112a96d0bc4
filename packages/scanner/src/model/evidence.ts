import type { Severity } from './severity';

/**
 * Where a signal was seen. `path` is relative to the scan root, with `/` separators.
 * `entry` is the chain of archive members from the outer file inwards
 * (e.g. `['model.zip', 'archive/data.pkl']` means: inside `path`, member `model.zip`,
 * inside that, member `archive/data.pkl`).
 *
 * @public
 */
export interface Location {
  path: string;
  entry?: string[];
  /** Byte offset within the innermost file or member. */
  offset?: number;
  /** 1-based line and column for text sources (manifests, Python). */
  line?: number;
  column?: number;
}

/**
 * Structured evidence a reviewer can verify. Every field is optional; readers fill what they know.
 *
 * @public
 */
export interface Evidence {
  /** Pickle opcode or protobuf op type that carries the signal, e.g. `REDUCE`, `STACK_GLOBAL`, `PyFunc`. */
  opcode?: string;
  /** The imported or called symbol, fully qualified: `os.system`, `torch._utils._rebuild_tensor_v2`. */
  symbol?: string;
  /** A Python package name (PEP 503 normalised) and version. */
  package?: string;
  version?: string;
  /** Dependency path from the root project, e.g. `['app', 'scikit-learn', 'joblib']`. */
  dependencyPath?: string[];
  /** A short excerpt (a source line, a manifest line, a template fragment). Never more than 200 chars. */
  snippet?: string;
  /** Guard context for source findings, e.g. `if not PRODUCTION:`. */
  guard?: string;
  /** Other reader-specific facts, small and flat. */
  [key: string]: string | number | boolean | string[] | undefined;
}

/**
 * What a reader emits: one observation tied to a catalogue rule.
 * Readers never decide release outcomes; the policy does.
 *
 * @public
 */
export interface Signal {
  ruleId: string;
  /** Specific, human-readable: "REDUCE calls os.system with a string argument". */
  message: string;
  location: Location;
  evidence: Evidence;
  /**
   * Identifies this observation among others of the same rule in the same file, independent of
   * byte offsets and line numbers (so re-saving a file or adding a line above keeps the
   * fingerprint). Typically the symbol, package name or a normalised snippet.
   */
  key: string;
  /** Overrides the rule's default severity when the reader knows better (e.g. knowledge-base grade). */
  severity?: Severity;
}
