/**
 * Known-dangerous globals. The allowlist decides what is reported; this list decides how it is
 * graded (a denylisted callable that is invoked is PICKLE-EXEC, critical) and explains why.
 * Compiled from the public picklescan, ModelScan, fickling and ModelAudit advisories (see
 * docs/THREATS.md); order matters: the first matching entry gives the category and explanation.
 */
export type DangerCategory =
  | 'process-execution'
  | 'code-evaluation'
  | 'import-machinery'
  | 'attribute-trampoline'
  | 'nested-loader'
  | 'filesystem'
  | 'network'
  | 'native-code'
  | 'interpreter-state'
  | 'scanner-tampering';

export interface DangerousGlobal {
  pattern: string;
  category: DangerCategory;
  why: string;
}

const entries = (
  category: DangerCategory,
  why: string,
  patterns: string[],
): DangerousGlobal[] => patterns.map(pattern => ({ pattern, category, why }));

export const DANGEROUS_GLOBALS: readonly DangerousGlobal[] = [
  // --- process execution
  ...entries('process-execution', 'runs a shell command or a new program', [
    'os.system',
    'os.popen',
    'os.exec*',
    'os.spawn*',
    'os.posix_spawn',
    'os.posix_spawnp',
    'os.fork',
    'os.forkpty',
    'os.startfile',
    'subprocess.**',
    'pty.**',
    '_posixsubprocess.**',
    'multiprocessing.**',
    'asyncio.**',
    'platform.popen',
    'uuid._get_command_stdout',
    'ensurepip.**',
    'pip.**',
    'venv.**',
    'distutils.spawn.**',
    'setuptools.**',
    'torch.utils.collect_env.**',
    'torch._inductor.**',
    'torch.utils.cpp_extension.**',
    'torch.hub.**',
  ]),
  ...entries(
    'process-execution',
    'controls processes, the environment or the file system through the os module',
    ['os.**'],
  ),
  // --- code evaluation
  ...entries('code-evaluation', 'evaluates Python source or code objects', [
    'builtins.eval',
    'builtins.exec',
    'builtins.compile',
    'builtins.execfile',
    'builtins.breakpoint',
    'builtins.input',
    'types.CodeType',
    'types.FunctionType',
    'types.LambdaType',
    'types.MethodType',
    'types.**',
    'marshal.**',
    'cloudpickle.**',
    'dill.**',
    'timeit.**',
    'cProfile.**',
    'profile.**',
    'trace.**',
    'bdb.**',
    'pdb.**',
    'code.**',
    'codeop.**',
    'doctest.**',
    'runpy.**',
    'numpy.testing._private.utils.runstring',
    'numpy.testing.**',
    'numpy.f2py.**',
    'numpy.distutils.**',
    'IPython.**',
    'torch.fx.graph_module._forward_from_src',
    'torch.fx.**',
    'torch.jit.**',
    'torch._dynamo.**',
    'torch.package.**',
    'builtins.type',
    'abc.ABCMeta',
    'idlelib.**',
    'lib2to3.**',
  ]),
  // --- import machinery
  ...entries(
    'import-machinery',
    'imports an arbitrary module or resolves an arbitrary name at load time',
    [
      'builtins.__import__',
      'importlib.**',
      'pkgutil.**',
      'pydoc.**',
      'zipimport.**',
      'site.**',
      'numpy.core._ufunc_reconstruct',
      'numpy._core._ufunc_reconstruct',
    ],
  ),
  // --- attribute trampolines
  ...entries(
    'attribute-trampoline',
    'reaches or calls an arbitrary attribute or callable, turning a harmless import into any call',
    [
      'builtins.getattr',
      'builtins.setattr',
      'builtins.delattr',
      'builtins.globals',
      'builtins.locals',
      'builtins.vars',
      'builtins.map',
      'builtins.filter',
      'builtins.apply',
      'builtins.staticmethod',
      'builtins.classmethod',
      'builtins.property',
      'builtins.super',
      'operator.attrgetter',
      'operator.methodcaller',
      'operator.itemgetter',
      'operator.call',
      'operator.**',
      'functools.partial',
      'functools.reduce',
      'functools.partialmethod',
      'functools.**',
      'itertools.starmap',
      'inspect.**',
      'weakref.finalize',
      'atexit.**',
      '_thread.**',
      'threading.**',
      'signal.**',
      'copyreg.**',
      'contextlib.**',
    ],
  ),
  // --- nested loaders
  ...entries(
    'nested-loader',
    'deserialises another payload, which this scan may not see',
    [
      'pickle.**',
      'shelve.**',
      'jsonpickle.**',
      'joblib.load',
      'joblib.numpy_pickle.load',
      'torch.load',
      'torch.serialization.load',
      'torch.storage._load_from_bytes',
      'numpy.load',
      'numpy.lib.npyio.load',
      'numpy.lib._npyio_impl.load',
      'pandas.read_pickle',
      'pandas.io.pickle.read_pickle',
      'yaml.**',
      'keras.models.load_model',
      'tensorflow.keras.models.load_model',
      'sklearn.externals.joblib.load',
      'sklearn.externals.joblib.numpy_pickle.load',
      'numpy.lib.format.read_array',
      'numpy.lib._format_impl.read_array',
    ],
  ),
  ...entries(
    'nested-loader',
    "downloads a model and deserialises it (fetch-and-load), out of this scan's sight",
    [
      'torch.utils.model_zoo.**',
      'transformers.**.from_pretrained',
      'transformers.pipeline',
      'transformers.pipelines.pipeline',
      'diffusers.**.from_pretrained',
      'diffusers.**.from_single_file',
      'diffusers.**.download',
      'peft.**.from_pretrained',
      'huggingface_hub.**',
    ],
  ),
  // --- filesystem
  ...entries('filesystem', 'reads, writes or deletes files', [
    'builtins.open',
    'io.**',
    'codecs.open',
    'codecs.**',
    'logging.**',
    'shutil.**',
    'tempfile.**',
    'pathlib.**',
    'glob.**',
    'fileinput.**',
    'zipfile.**',
    'tarfile.**',
    'linecache.**',
    'filecmp.**',
    'mmap.**',
    'numpy.save',
    'numpy.savetxt',
    'numpy.tofile',
    'numpy.memmap',
    'torch.save',
    'distutils.**',
  ]),
  // --- network
  ...entries('network', 'opens network connections or a browser', [
    'socket.**',
    'ssl.**',
    'urllib.**',
    'http.**',
    'requests.**',
    'aiohttp.**',
    'httpx.**',
    'webbrowser.**',
    'smtplib.**',
    'ftplib.**',
    'telnetlib.**',
    'poplib.**',
    'imaplib.**',
    'xmlrpc.**',
    'socketserver.**',
    'asyncore.**',
    'paramiko.**',
    'urllib3.**',
    'websocket.**',
    'nntplib.**',
  ]),
  // --- native code
  ...entries(
    'native-code',
    'loads native libraries or calls C functions directly',
    [
      'ctypes.**',
      'cffi.**',
      'numpy.ctypeslib.**',
      'torch.classes.**',
      'torch.ops.**',
      'torch._C._load*',
    ],
  ),
  // --- interpreter state
  ...entries(
    'interpreter-state',
    'changes interpreter state (module table, builtins, hooks, memory)',
    [
      'sys.**',
      'gc.**',
      'builtins.__dict__',
      'builtins.__builtins__',
      'resource.**',
      'faulthandler.**',
      'tracemalloc.**',
    ],
  ),
  // --- the scanners themselves
  ...entries(
    'scanner-tampering',
    'imports a model scanner, a known trick to tamper with or confuse scanning',
    ['picklescan.**', 'modelscan.**', 'fickling.**', 'modelaudit.**'],
  ),
];
