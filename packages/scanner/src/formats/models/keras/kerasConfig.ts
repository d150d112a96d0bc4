import type { Severity } from '../../../model/severity';
import { isPlainObject } from '../common/boundedJson';
import { fileReferencesIn } from './fileAccess';

/**
 * Inspects a Keras model config (Keras 3 `config.json`, Keras 2 `model_config`/`model.to_json()`,
 * per-layer metadata of SavedModel) for what runs code on load: Lambda layers, objects from
 * modules outside Keras, and references to the gadgets of the known safe-mode bypasses.
 * Pure: walks the parsed JSON iteratively with a node cap, never imports or evaluates anything.
 */
export interface KerasIssue {
  ruleId:
    | 'MODEL-KERAS-LAMBDA'
    | 'MODEL-KERAS-CUSTOM-OBJECT'
    | 'MODEL-KERAS-UNSAFE-FUNCTION'
    | 'MODEL-KERAS-FILE-ACCESS';
  severity?: Severity;
  message: string;
  key: string;
  /** JSON path of the object, e.g. `$.config.layers[2]`. */
  path: string;
  symbol?: string;
  layer?: string;
  /** Identifiers recovered from marshalled Lambda bytecode (names the code uses). */
  codeNames?: string[];
}

/** Functions and classes reachable from a config that defeat `safe_mode` or run code on load. */
const UNSAFE_KERAS_SYMBOLS: ReadonlyArray<[RegExp, string]> = [
  [
    /(^|\.)enable_unsafe_deserialization$/,
    'disables safe mode from inside the model (CVE-2025-9906)',
  ],
  [
    /(^|\.)set_global_attribute$/,
    'rewrites Keras global state such as safe mode (CVE-2025-9906)',
  ],
  [
    /(^|\.)(load_model|model_from_json|model_from_config|load_weights)$/,
    'loads another model, possibly with safe mode off (CVE-2025-9906)',
  ],
  [
    /(^|\.)get_file$/,
    'downloads and writes files while loading (CVE-2025-8747)',
  ],
  [
    /(^|\.)TorchModuleWrapper$/,
    'unpickles a PyTorch module with torch.load (CVE-2025-49655)',
  ],
  [
    /(^|\.)TFSMLayer$/,
    'loads an external TensorFlow SavedModel (CVE-2026-1462)',
  ],
  [
    /(^|\.)(py_function|numpy_function|py_func|write_file|read_file)$/,
    'runs Python or touches files through TensorFlow',
  ],
];

/** Python modules whose functions execute commands, code or I/O when called. */
const DANGEROUS_MODULES =
  /^(os|posix|nt|subprocess|builtins|__builtin__|importlib|runpy|shutil|socket|pickle|_pickle|marshal|sys|ctypes|pty|code|codeop|webbrowser|urllib|requests|http|ftplib|smtplib|asyncio|multiprocessing|commands|pdb|timeit|cProfile|profile|pydoc|dill|cloudpickle|joblib)(\.|$)/;

/** Packages whose objects are part of Keras itself. */
function isKerasModule(module: string): boolean {
  return (
    /^(keras|tf_keras)(\.|$)/.test(module) ||
    /^keras_[a-z0-9_]+(\.|$)/.test(module)
  );
}

const MAX_NODES = 500_000;
const MAX_DEPTH = 256;

interface Pending {
  value: unknown;
  path: string;
  depth: number;
  insideLambda: boolean;
}

/**
 * Whether parsed JSON holds a serialised Keras object (`class_name` with a `config`) anywhere.
 * Keras deserialises such objects wherever they sit (a dict without them is walked key by key),
 * so an extra top-level key of another format, a Hugging Face `model_type` say, must not hide
 * them. Past the node cap the answer is yes: the full inspection then reports its own limit.
 */
export function holdsKerasObject(root: unknown): boolean {
  const stack: unknown[] = [root];
  for (let visited = 0; stack.length > 0; visited++) {
    if (visited >= MAX_NODES) return true;
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (isPlainObject(value)) {
      if (typeof value.class_name === 'string' && 'config' in value)
        return true;
      for (const child of Object.values(value)) stack.push(child);
    }
  }
  return false;
}

export function inspectKerasConfig(root: unknown): {
  issues: KerasIssue[];
  truncated: boolean;
} {
  const issues: KerasIssue[] = [];
  const reported = new Set<string>();
  const add = (issue: KerasIssue) => {
    if (reported.has(`${issue.ruleId}:${issue.key}`) || issues.length >= 100)
      return;
    reported.add(`${issue.ruleId}:${issue.key}`);
    issues.push(issue);
  };
  const stack: Pending[] = [
    { value: root, path: '$', depth: 0, insideLambda: false },
  ];
  let visited = 0;
  let truncated = false;

  while (stack.length > 0) {
    const { value, path, depth, insideLambda } = stack.pop()!;
    if (++visited > MAX_NODES || depth > MAX_DEPTH) {
      truncated = true;
      break;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        stack.push({
          value: item,
          path: `${path}[${i}]`,
          depth: depth + 1,
          insideLambda,
        }),
      );
      continue;
    }
    if (!isPlainObject(value)) continue;

    const isLambdaLayer = value.class_name === 'Lambda';
    if (isLambdaLayer) add(lambdaIssue(value, path));
    else if (value.class_name === '__lambda__' && !insideLambda)
      add(lambdaIssue({ config: { function: value } }, path));
    checkReferences(value, path, add);
    if (typeof value.class_name === 'string' && isPlainObject(value.config))
      checkFileAccess(value.class_name, value.config, path, add);

    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'object' && child !== null) {
        stack.push({
          value: child,
          path: `${path}.${key}`,
          depth: depth + 1,
          insideLambda: insideLambda || isLambdaLayer,
        });
      }
    }
  }
  issues.sort((a, b) => a.path.localeCompare(b.path));
  return { issues, truncated };
}

function lambdaIssue(layer: Record<string, unknown>, path: string): KerasIssue {
  const config = isPlainObject(layer.config) ? layer.config : {};
  const name =
    [config.name, layer.name].find((n): n is string => typeof n === 'string') ??
    path;
  const fn = config.function;
  let code: string | undefined;
  let reference: string | undefined;
  if (Array.isArray(fn) && typeof fn[0] === 'string')
    code = fn[0]; // Keras 2: [base64 marshal, defaults, closure]
  else if (
    isPlainObject(fn) &&
    fn.class_name === '__lambda__' &&
    isPlainObject(fn.config)
  ) {
    code = typeof fn.config.code === 'string' ? fn.config.code : undefined;
  } else if (isPlainObject(fn) && typeof fn.module === 'string')
    reference = `${fn.module}.${String(fn.config)}`;
  else if (typeof fn === 'string')
    reference =
      typeof config.module === 'string' ? `${config.module}.${fn}` : fn;

  const codeNames = code ? identifiersInBytecode(code) : undefined;
  let what = 'a Python function';
  if (code)
    what = `marshalled Python bytecode${
      codeNames?.length ? ` (names: ${codeNames.slice(0, 8).join(', ')})` : ''
    }`;
  else if (reference) what = `a reference to ${reference}`;
  return {
    ruleId: 'MODEL-KERAS-LAMBDA',
    message: `Lambda layer "${name}" carries ${what}, which runs when the model is loaded or called`,
    key: `lambda:${name}`,
    path,
    layer: name,
    symbol: reference,
    codeNames,
  };
}

function checkReferences(
  value: Record<string, unknown>,
  path: string,
  add: (issue: KerasIssue) => void,
) {
  const className =
    typeof value.class_name === 'string' ? value.class_name : undefined;
  // Only serialised objects (with `class_name`) name a module to import; a layer's own config can
  // have an unrelated `module` key (TorchModuleWrapper stores its pickled module there).
  const module =
    className !== undefined && typeof value.module === 'string'
      ? value.module
      : undefined;
  // A function reference names the function in `config`; a class names itself in `class_name`.
  const member =
    className === 'function' && typeof value.config === 'string'
      ? value.config
      : className;
  const symbol = module && member ? `${module}.${member}` : member;

  if (symbol) {
    const unsafe = UNSAFE_KERAS_SYMBOLS.find(([pattern]) =>
      pattern.test(symbol),
    );
    if (unsafe || (module && DANGEROUS_MODULES.test(module))) {
      add({
        ruleId: 'MODEL-KERAS-UNSAFE-FUNCTION',
        message: `Config references ${symbol}, which ${
          unsafe ? unsafe[1] : 'executes commands or code when called'
        }`,
        key: symbol,
        path,
        symbol,
      });
      return;
    }
  }
  if (module && !isKerasModule(module)) {
    const tensorflow = /^tensorflow(\.|$)/.test(module);
    add({
      ruleId: 'MODEL-KERAS-CUSTOM-OBJECT',
      severity: tensorflow ? 'medium' : undefined,
      message: `Config imports ${
        symbol ?? module
      } from module "${module}", outside Keras; loading runs that module's code`,
      key: symbol ?? module,
      path,
      symbol: symbol ?? module,
    });
    return;
  }
  const registered =
    typeof value.registered_name === 'string'
      ? value.registered_name
      : undefined;
  if (registered?.includes('>')) {
    const pkg = registered.slice(0, registered.indexOf('>'));
    if (!isKerasModule(pkg)) {
      add({
        ruleId: 'MODEL-KERAS-CUSTOM-OBJECT',
        message: `Config uses the custom registered object "${registered}"; loading needs and runs its code`,
        key: registered,
        path,
        symbol: registered,
      });
    }
  }
}

function checkFileAccess(
  className: string,
  config: Record<string, unknown>,
  path: string,
  add: (issue: KerasIssue) => void,
) {
  const layer = typeof config.name === 'string' ? config.name : path;
  for (const ref of fileReferencesIn(config)) {
    const what =
      ref.kind === 'remote'
        ? `fetches ${ref.value}`
        : `reads the host file ${ref.value}`;
    add({
      ruleId: 'MODEL-KERAS-FILE-ACCESS',
      message: `${className} layer "${layer}" ${what} through its ${ref.field} field when the model is loaded, even with safe_mode (CVE-2025-12058)`,
      key: `file:${layer}:${ref.field}`,
      path: `${path}.config.${ref.field}`,
      layer,
      symbol: ref.value.slice(0, 200),
    });
  }
}

/** Printable identifiers in base64 marshal data: enough for a reviewer to see `os`, `system`. */
export function identifiersInBytecode(base64: string): string[] {
  const bytes = Buffer.from(base64.slice(0, 64 * 1024), 'base64');
  const names = new Set<string>();
  for (const match of bytes
    .toString('latin1')
    .matchAll(/[A-Za-z_][A-Za-z0-9_.]{1,63}/g)) {
    if (names.size >= 20) break;
    names.add(match[0]);
  }
  return [...names];
}
