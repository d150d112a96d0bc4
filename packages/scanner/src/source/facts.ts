/**
 * The `python.imports` fact published by the Python source analyzer for later analyzers (import
 * reconciliation, reports). Only the project's own (first-party) files are listed: third-party
 * trees (`site-packages`, vendored folders) would drown the project's imports.
 */
export const FACT_PYTHON_IMPORTS = 'python.imports';

export interface PythonImport {
  /** Module as written, fully qualified, without a leading dot: `torch.nn`, `pickle`, `app.models` (relative). */
  module: string;
  /** First dotted segment of `module`: the name that maps to a distribution (`sklearn` for `sklearn.base`). */
  topLevel: string;
  /** For `from m import n`: `n` (`*` for a star import). Absent for `import m`. */
  name?: string;
  /** Local name the import binds when it differs from the default (`pk` in `import pickle as pk`). */
  alias?: string;
  /** `from . import x` and `from .m import x`: the project's own code, never a distribution. */
  relative?: boolean;
  /** Imported by `__import__('m')` / `importlib.import_module('m')` with a constant name. */
  dynamic?: boolean;
  /** File relative to the scan root, and 1-based line. */
  path: string;
  line: number;
  /** Enclosing guard (`if not PRODUCTION:`, `try: … except ImportError:`), first line, ≤ 120 chars. */
  guard?: string;
}

export interface PythonImportFacts {
  imports: PythonImport[];
  /** First-party Python files seen, and how many of them were parsed (the rest failed the prefilter). */
  firstPartyFiles: number;
  parsedFiles: number;
  /**
   * Always true: only files that mention a risky module, a loader or a hardened module are parsed,
   * so `imports` is complete for those names and partial for everything else.
   */
  prefiltered: true;
}
