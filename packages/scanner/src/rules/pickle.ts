import type { Rule } from '../model/rule';

const CONVERT =
  'Re-export the weights to safetensors (or another non-executable format) and load them with a weights-only loader.';

/** Rules for pickle-bearing artifacts: plain pickles, PyTorch legacy files, joblib, NumPy object arrays. */
export const PICKLE_RULES: Rule[] = [
  {
    id: 'PICKLE-EXEC',
    title: 'Pickle invokes a dangerous callable on load',
    category: 'artifact',
    severity: 'critical',
    cwe: ['CWE-502', 'CWE-94'],
    owaspLlm: ['LLM03:2025', 'LLM04:2025'],
    description:
      'The pickle calls (REDUCE, NEWOBJ, OBJ, INST, BUILD) a known-dangerous callable, or passes one into a call: process execution, code evaluation, import or attribute trampolines, nested loaders, file, network or native-code access. Loading the file runs it.',
    fix: `Do not load this file. Find out where it came from; treat the source as compromised. ${CONVERT}`,
    docsAnchor: 'pickle-exec',
  },
  {
    id: 'PICKLE-EVAL-SOURCE',
    title: 'Pickle hands Python source to an evaluator',
    category: 'artifact',
    severity: 'critical',
    cwe: ['CWE-502', 'CWE-95'],
    owaspLlm: ['LLM03:2025', 'LLM04:2025'],
    description:
      "A call in the pickle (REDUCE, NEWOBJ, OBJ, INST) receives a string that is Python source reaching for the interpreter (`__import__(...)`, `os.system(...)`, `exec(...)`, `subprocess...`), or a source string is given to a code-evaluating class such as pandas' `Expr` or `numexpr.evaluate`. Evaluators hide inside otherwise harmless data libraries, so the argument is checked whatever the callee's grade.",
    fix: `Do not load this file. ${CONVERT}`,
    docsAnchor: 'pickle-eval-source',
  },
  {
    id: 'PICKLE-STATE-TAMPER',
    title: 'Pickle rewrites attributes of an imported object',
    category: 'artifact',
    severity: 'critical',
    cwe: ['CWE-502', 'CWE-915'],
    owaspLlm: ['LLM03:2025', 'LLM04:2025'],
    description:
      "A BUILD applies state to an imported class, function or module (rather than to a freshly built object), or sets dunder attributes such as `__reduce__`, `__setstate__` or `__builtins__`. This overwrites library behaviour so that later code runs the attacker's callables, even through allowlisted names.",
    fix: `Do not load this file. ${CONVERT}`,
    docsAnchor: 'pickle-state-tamper',
  },
  {
    id: 'PICKLE-GLOBAL-IMPORT',
    title: 'Pickle imports a global outside the trusted allowlist',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-502', 'CWE-829'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The pickle imports a callable or class that is not on the allowlist of globals real ML pickles need (torch rebuild helpers, NumPy reconstruction, scikit-learn estimator classes...). Unknown imports are never silently allowed: any imported callable can run code when the file is loaded, and denylisted ones are reported here even when they are not called.',
    fix: `Check what the named symbol does. If it is your own trusted class, add it to the policy's trusted pickle globals (\`module.name\`); otherwise do not load the file. ${CONVERT}`,
    docsAnchor: 'pickle-global-import',
  },
  {
    id: 'PICKLE-STRUCT',
    title: 'Malformed or deliberately confusing pickle structure',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-502', 'CWE-20'],
    owaspLlm: ['LLM03:2025', 'LLM10:2025'],
    description:
      'The stream is truncated, has invalid opcodes, lying FRAME lengths, a misplaced or repeated PROTO, opcodes newer than its declared protocol, a read of a missing memo key, a stack underflow, a STOP with values left, data after the last stream, or an expansion bomb. Pickle libraries never write these; attackers use them to make scanners stop early while the loader has already run the payload.',
    fix: `Regenerate the file with its library. If it is legitimate, report the parse problem with the file attached. ${CONVERT}`,
    docsAnchor: 'pickle-struct',
  },
  {
    id: 'PICKLE-UNSCANNED',
    title: 'Pickle container that could not be opened',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-502', 'CWE-20'],
    owaspLlm: ['LLM03:2025'],
    description:
      'A compressed or wrapped pickle (e.g. a joblib file compressed with lzma, bz2 or lz4) that the scanner cannot decompress. Its pickle may run code when loaded and was not checked.',
    fix: `Save the object uncompressed (or with zlib/gzip compression) so it can be scanned, or better: ${CONVERT}`,
    docsAnchor: 'pickle-unscanned',
  },
  {
    id: 'NUMPY-OBJECT-ARRAY',
    title: 'NumPy array with object dtype embeds a pickle',
    category: 'artifact',
    severity: 'low',
    cwe: ['CWE-502'],
    owaspLlm: ['LLM03:2025'],
    description:
      'An `.npy` array (or `.npz` member) whose dtype holds Python objects stores them as a pickle; `numpy.load(..., allow_pickle=True)` runs it. The embedded pickle is analysed and graded like any pickle (an object array of plain strings and tuples passes; one that imports or calls anything outside the allowlist blocks through the PICKLE-* rules); this finding records that the array needs `allow_pickle=True`.',
    fix: 'Store numeric data with a numeric dtype, and strings as fixed-width `U`/`S` dtypes; never load untrusted arrays with `allow_pickle=True`.',
    docsAnchor: 'numpy-object-array',
  },
  {
    id: 'NUMPY-TRAILING-DATA',
    title: 'Data hidden after a NumPy array',
    category: 'artifact',
    severity: 'medium',
    cwe: ['CWE-506', 'CWE-20'],
    owaspLlm: ['LLM03:2025', 'LLM04:2025'],
    description:
      'An `.npy` array (or `.npz` member) has bytes after the data its header declares. `numpy.load` ignores them, so nothing runs on load, but NumPy never writes them: they are a place to hide a second-stage payload (often a pickle) that other code reads with an offset. Medium when the bytes look like a pickle, low otherwise.',
    fix: 'Re-save the array with `numpy.save` from a trusted copy, and find out what appended the extra bytes.',
    docsAnchor: 'numpy-trailing-data',
  },
  {
    id: 'PICKLE-FORMAT',
    title: 'Executable serialisation format in use',
    category: 'artifact',
    severity: 'info',
    cwe: ['CWE-502'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The artifact is (or carries) a pickle. Nothing dangerous was found in it, but loading any pickle can run code, so its safety depends on this scan and on where the file comes from.',
    fix: CONVERT,
    docsAnchor: 'pickle-format',
  },
];
