/**
 * Python callables that matter to the source analysis, by family. Symbols are fully qualified
 * after alias resolution (`import torch as t; t.load` is `torch.load`).
 */
export type CallFamily =
  | 'pickle-load'
  | 'torch-load'
  | 'numpy-load'
  | 'yaml-load'
  | 'keras-load'
  | 'keras-unsafe-mode'
  | 'graph-load'
  | 'model-export'
  | 'dynamic-import'
  | 'exec'
  | 'runtime-install';

const families: Record<CallFamily, string[]> = {
  'pickle-load': [
    'pickle.load',
    'pickle.loads',
    'pickle.Unpickler',
    '_pickle.load',
    '_pickle.loads',
    '_pickle.Unpickler',
    'cPickle.load',
    'cPickle.loads',
    'cPickle.Unpickler',
    'pickle5.load',
    'pickle5.loads',
    'dill.load',
    'dill.loads',
    'dill.load_session',
    'dill.load_module',
    'dill.Unpickler',
    'cloudpickle.load',
    'cloudpickle.loads',
    'joblib.load',
    'joblib.numpy_pickle.load',
    'sklearn.externals.joblib.load',
    'jsonpickle.decode',
    'jsonpickle.loads',
    'pandas.read_pickle',
    'shelve.open',
    'shelve.DbfilenameShelf',
    'marshal.load',
    'marshal.loads',
  ],
  'torch-load': ['torch.load', 'torch.serialization.load'],
  'numpy-load': ['numpy.load'],
  'yaml-load': [
    'yaml.load',
    'yaml.load_all',
    'yaml.unsafe_load',
    'yaml.unsafe_load_all',
    'yaml.full_load',
    'yaml.full_load_all',
  ],
  'keras-load': [
    'keras.models.load_model',
    'keras.saving.load_model',
    'keras.src.saving.saving_api.load_model',
    'tensorflow.keras.models.load_model',
    'tensorflow.keras.saving.load_model',
    'tf_keras.models.load_model',
  ],
  'keras-unsafe-mode': [
    'keras.config.enable_unsafe_deserialization',
    'tensorflow.keras.config.enable_unsafe_deserialization',
  ],
  'graph-load': [
    'tensorflow.saved_model.load',
    'tensorflow.compat.v1.saved_model.load',
    'tensorflow.compat.v1.saved_model.loader.load',
    'torch.jit.load',
  ],
  'model-export': [
    'torch.save',
    'pickle.dump',
    '_pickle.dump',
    'cPickle.dump',
    'dill.dump',
    'cloudpickle.dump',
    'joblib.dump',
  ],
  'dynamic-import': [
    '__import__',
    'importlib.import_module',
    'importlib.__import__',
    'pkgutil.resolve_name',
    'pydoc.locate',
  ],
  exec: ['exec', 'eval'],
  // Commands that may install packages at run time; classifyCall keeps only those whose text installs.
  'runtime-install': [
    'os.system',
    'os.popen',
    'subprocess.run',
    'subprocess.call',
    'subprocess.check_call',
    'subprocess.check_output',
    'subprocess.Popen',
    'pip.main',
    'pip._internal.main',
    'pip._internal.cli.main.main',
  ],
};

export const CALL_FAMILY: ReadonlyMap<string, CallFamily> = new Map(
  Object.entries(families).flatMap(([family, symbols]) =>
    symbols.map(symbol => [symbol, family as CallFamily]),
  ),
);

/**
 * Families whose calls inside installed third-party packages are reported: the loaders, plus
 * `trust_remote_code`; not the plumbing (dynamic imports, exec) every large package uses.
 */
export const THIRD_PARTY_FAMILIES: ReadonlySet<string> = new Set([
  'pickle-load',
  'torch-load',
  'numpy-load',
  'yaml-load',
  'keras-load',
  'keras-unsafe-mode',
  'graph-load',
  'remote-code',
]);

/**
 * Modules whose attributes, fetched with a computed name (`getattr(pickle, 'lo' + 'ads')`), hide a
 * loader or a process call from a reader: the obfuscation itself is the signal.
 */
export const SENSITIVE_MODULES: ReadonlySet<string> = new Set([
  'pickle',
  '_pickle',
  'cPickle',
  'dill',
  'cloudpickle',
  'joblib',
  'marshal',
  'shelve',
  'torch',
  'numpy',
  'yaml',
  'os',
  'posix',
  'nt',
  'subprocess',
  'builtins',
  'importlib',
  'sys',
  'ctypes',
  'socket',
  'pty',
]);

/** YAML loaders that build only plain data. */
export const SAFE_YAML_LOADERS: ReadonlySet<string> = new Set([
  'SafeLoader',
  'CSafeLoader',
  'BaseLoader',
  'CBaseLoader',
]);
/** FullLoader: no arbitrary calls since PyYAML 5.4, but still builds Python objects (CVE-2020-14343 before). */
export const FULL_YAML_LOADERS: ReadonlySet<string> = new Set([
  'FullLoader',
  'CFullLoader',
]);

/** Names of arguments that look like a trained model being written out. */
export const MODEL_LIKE_ARGUMENT =
  /model|clf|classifier|regressor|estimator|pipeline|\bpipe\b|\bnet\b|state_dict|weights|checkpoint|ckpt|booster|learner/i;

/** Path segments of serving code, where a model export belongs to no request. */
export const SERVING_PATH_SEGMENTS: ReadonlySet<string> = new Set([
  'serving',
  'serve',
  'server',
  'app',
  'api',
  'service',
  'services',
  'routes',
  'routers',
  'endpoints',
  'handlers',
  'web',
]);
