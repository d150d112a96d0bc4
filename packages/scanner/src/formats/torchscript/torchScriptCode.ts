/**
 * What the serialised code/ of a TorchScript archive can do when torch.jit.load compiles it and the
 * model runs. TorchScript is a Python subset with no `import`, `open` or `exec`; what reaches outside
 * the tensor world is: operators of a namespace that a native extension registers (`ops.my_ns.op`),
 * Python escapes (`prim::PythonOp`, from `@torch.jit.ignore`d functions), the few builtins that touch
 * files (`torch.from_file`, `torch.save`/`torch.load`), and `__setstate__`, which runs at load time.
 * The reader is a line-oriented pass over the source (TorchScript's printer writes one statement a
 * line): pure, bounded by the text size, never executes anything.
 */

/** Operator namespaces that ship with PyTorch itself. */
export const BUILTIN_OP_NAMESPACES: ReadonlySet<string> = new Set([
  'aten',
  'prim',
  'quantized',
  '_quantized',
  'quantized_decomposed',
  'prepacked',
  'profiler',
  'cuda',
  'mkldnn',
  'mkldnn_prepacked',
  'onednn',
  'sparse',
  'xnnpack',
  'fbgemm',
  'vulkan_prepack',
  'rngprims',
  'higher_order',
  '_c10d_functional',
  'c10d',
  'c10d_functional',
]);

export type TorchScriptHazardKind =
  | 'custom-op'
  | 'python-escape'
  | 'file-or-system'
  | 'setstate';

export interface TorchScriptHazard {
  kind: TorchScriptHazardKind;
  /** 1-based line in the code file. */
  line: number;
  /** What was found, e.g. `ops.my_ext.run` or `torch.from_file`. */
  what: string;
  /** For `setstate`: what the method body calls besides attribute assignment. */
  detail?: string;
}

const OP_CALL =
  /\bops\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/g;
const PYTHON_ESCAPES: readonly RegExp[] = [
  /\bPythonOp\b/,
  /\bprim::PythonOp\b/,
  /\bops\s*\.\s*prim\s*\.\s*PythonOp\b/,
];
/** Builtins and attribute paths that read or write files or reach the host. */
const FILE_OR_SYSTEM: readonly RegExp[] = [
  /\btorch\s*\.\s*(?:from_file|save|load)\s*\(/,
  /\bops\s*\.\s*aten\s*\.\s*(?:from_file|_save_for_lite_interpreter)\b/,
  /\b(?:os|sys|subprocess|socket|shutil|builtins|importlib)\s*\.\s*[A-Za-z_]+/,
  /(?<![.\w])(?:__import__|exec|eval|open|compile)\s*\(/,
  /\btorch\s*\.\s*(?:classes|_C)\s*\.\s*[A-Za-z_]+/,
];

const MAX_HAZARDS = 64;

/** Hazards in one code/ file. `source` is the file's text (UTF-8). */
export function analyseTorchScriptCode(source: string): TorchScriptHazard[] {
  const hazards: TorchScriptHazard[] = [];
  const lines = source.split('\n');
  let setstateIndent: number | undefined;
  let setstateLine = 0;
  const setstateCalls = new Set<string>();
  const closeSetstate = () => {
    if (setstateIndent !== undefined && setstateCalls.size > 0) {
      hazards.push({
        kind: 'setstate',
        line: setstateLine,
        what: '__setstate__',
        detail: [...setstateCalls].slice(0, 8).join(', '),
      });
    }
    setstateIndent = undefined;
    setstateCalls.clear();
  };
  for (
    let index = 0;
    index < lines.length && hazards.length < MAX_HAZARDS;
    index++
  ) {
    const text = stripStringsAndComments(lines[index]);
    const line = index + 1;
    const indent = lines[index].length - lines[index].trimStart().length;
    if (
      setstateIndent !== undefined &&
      text.trim() !== '' &&
      indent <= setstateIndent
    )
      closeSetstate();
    const def = /^(\s*)def\s+__setstate__\s*\(/.exec(text);
    if (def) {
      setstateIndent = def[1].length;
      setstateLine = line;
      continue;
    }
    for (const match of text.matchAll(OP_CALL)) {
      const [, namespace, op] = match;
      if (!BUILTIN_OP_NAMESPACES.has(namespace))
        hazards.push({
          kind: 'custom-op',
          line,
          what: `ops.${namespace}.${op}`,
        });
    }
    const escape = PYTHON_ESCAPES.find(pattern => pattern.test(text));
    if (escape)
      hazards.push({
        kind: 'python-escape',
        line,
        what: text.trim().slice(0, 120),
      });
    const system = FILE_OR_SYSTEM.map(pattern => pattern.exec(text)).find(
      Boolean,
    );
    if (system)
      hazards.push({
        kind: 'file-or-system',
        line,
        what: system[0].replace(/\s+/g, ''),
      });
    if (setstateIndent !== undefined) {
      for (const call of setstateSideEffects(text)) setstateCalls.add(call);
    }
  }
  closeSetstate();
  return hazards;
}

/**
 * Calls in a `__setstate__` body other than the ones TorchScript's own printer writes to restore
 * state (attribute assignment, tuple indexing, tensor constructors and `ops.aten`/`ops.prim`).
 */
function setstateSideEffects(text: string): string[] {
  const calls: string[] = [];
  for (const match of text.matchAll(/([A-Za-z_][A-Za-z0-9_.]*)\s*\(/g)) {
    const callee = match[1].replace(/\s+/g, '');
    if (
      /^(?:ops\.(?:aten|prim)\.|torch\.(?:tensor|zeros|ones|empty|device|Size|_utils\.)|annotate|unchecked_cast|isinstance|len|int|float|bool|str|getattr|uninitialized|self\.__setstate__)/.test(
        callee,
      )
    )
      continue;
    if (/^_?\d/.test(callee)) continue;
    calls.push(callee);
  }
  return calls;
}

/** Blanks string literals and `#` comments so that quoted text never reads as code. */
function stripStringsAndComments(line: string): string {
  return line
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/#.*$/, '');
}
