/**
 * Resolves the (module, name) pair of a pickle import the way CPython's `Unpickler.find_class`
 * does, so that aliases and attribute walks cannot disguise a dangerous callable:
 * - Python 2 module names are mapped by `_compat_pickle` (`__builtin__` → `builtins`, `commands` → `subprocess`);
 * - C accelerator and platform modules are the public module under another name (`posix`/`nt` → `os`,
 *   `_operator` → `operator`, `_pickle` → `pickle`);
 * - a dotted *name* is resolved by attribute access from the module (`find_class('pathlib', 'os.system')`
 *   is `os.system` because `pathlib` imports `os`).
 */

/** Module aliases: `_compat_pickle.IMPORT_MAPPING` plus C/platform modules that re-export a public one. */
const MODULE_ALIASES: Readonly<Record<string, string>> = {
  __builtin__: 'builtins',
  exceptions: 'builtins',
  copy_reg: 'copyreg',
  cPickle: 'pickle',
  _pickle: 'pickle',
  posix: 'os',
  nt: 'os',
  _operator: 'operator',
  _io: 'io',
  _functools: 'functools',
  _socket: 'socket',
  _ssl: 'ssl',
  thread: '_thread',
  dummy_thread: '_thread',
  _dummy_thread: '_thread',
  _collections: 'collections',
  commands: 'subprocess',
  popen2: 'subprocess',
  urllib2: 'urllib.request',
  urlparse: 'urllib.parse',
  httplib: 'http.client',
  BaseHTTPServer: 'http.server',
  SimpleHTTPServer: 'http.server',
  CGIHTTPServer: 'http.server',
  xmlrpclib: 'xmlrpc.client',
  SocketServer: 'socketserver',
  cStringIO: 'io',
  StringIO: 'io',
  Queue: 'queue',
  _winreg: 'winreg',
  _ctypes: 'ctypes',
  _marshal: 'marshal',
  _imp: 'importlib',
  imp: 'importlib',
  _posixshmem: 'os',
};

/** Name-level renames from `_compat_pickle.NAME_MAPPING` that matter for detection. */
const NAME_ALIASES: Readonly<Record<string, string>> = {
  '__builtin__.xrange': 'builtins.range',
  '__builtin__.unicode': 'builtins.str',
  '__builtin__.basestring': 'builtins.str',
  '__builtin__.long': 'builtins.int',
  '__builtin__.reduce': 'functools.reduce',
  '__builtin__.intern': 'sys.intern',
  '__builtin__.raw_input': 'builtins.input',
  '__builtin__.execfile': 'builtins.exec',
  '__builtin__.apply': 'builtins.exec',
  'itertools.imap': 'builtins.map',
  'itertools.ifilter': 'builtins.filter',
  'UserDict.UserDict': 'collections.UserDict',
};

/**
 * Modules that many packages import at top level, so a dotted name can reach them through almost
 * any module (`torch.os.system`, `pathlib.os.system`, `numpy.sys.modules`).
 */
export const REACHABLE_MODULES: ReadonlySet<string> = new Set([
  'os',
  'sys',
  'subprocess',
  'builtins',
  '__builtins__',
  'socket',
  'shutil',
  'importlib',
  'pickle',
  'marshal',
  'ctypes',
  'io',
  'codecs',
  'types',
  'functools',
  'operator',
  'runpy',
  'pty',
  'urllib',
  'http',
  'webbrowser',
  'threading',
  'multiprocessing',
  'asyncio',
  'logging',
  'tempfile',
  'pathlib',
  'platform',
  'inspect',
  'pydoc',
  'pkgutil',
  'code',
  'timeit',
  'pdb',
  'ssl',
  'requests',
  'signal',
  'gc',
  'site',
  'torch',
  'numpy',
]);

export interface ResolvedName {
  /** Canonical module (aliases applied). */
  module: string;
  /** Attribute path inside the module, possibly dotted. */
  name: string;
  /** `module.name`, the symbol shown in findings. */
  symbol: string;
  /** Other symbols the same reference reaches (`os.system` for `pathlib` + `os.system`). */
  reaches: string[];
  /** True when the name is dotted: an attribute walk, which real ML pickles never need. */
  dotted: boolean;
}

export function canonicalModule(module: string): string {
  const trimmed = module.trim();
  if (MODULE_ALIASES[trimmed]) return MODULE_ALIASES[trimmed];
  const dot = trimmed.indexOf('.');
  if (dot > 0) {
    const head = trimmed.slice(0, dot);
    if (MODULE_ALIASES[head])
      return `${MODULE_ALIASES[head]}${trimmed.slice(dot)}`;
  }
  return trimmed;
}

export function resolveGlobal(module: string, name: string): ResolvedName {
  const rawSymbol = `${module.trim()}.${name.trim()}`;
  let symbol = NAME_ALIASES[rawSymbol];
  let canonical: string;
  let attribute: string;
  if (symbol) {
    const dot = symbol.lastIndexOf('.');
    canonical = symbol.slice(0, dot);
    attribute = symbol.slice(dot + 1);
  } else {
    canonical = canonicalModule(module);
    attribute = name.trim();
    symbol = `${canonical}.${attribute}`;
  }
  const segments = attribute.split('.');
  const reaches: string[] = [];
  if (segments.length > 1) {
    // Every suffix starting at a well-known module is what the attribute walk may land on.
    for (let i = 0; i < segments.length - 1; i++) {
      const head = canonicalModule(segments[i]);
      if (REACHABLE_MODULES.has(head) || REACHABLE_MODULES.has(segments[i])) {
        const target = `${
          head === '__builtins__' ? 'builtins' : head
        }.${segments.slice(i + 1).join('.')}`;
        if (!reaches.includes(target)) reaches.push(target);
      }
    }
  }
  return {
    module: canonical,
    name: attribute,
    symbol,
    reaches,
    dotted: segments.length > 1,
  };
}
