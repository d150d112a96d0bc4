/**
 * Globals that real ML pickles need and that cannot run code when imported or called with the
 * arguments a pickler writes. Everything else is reported (allowlist-first): unknown imports are
 * never silently allowed. Each entry says why it is safe; pattern syntax is in `patterns.ts`.
 * Dotted names never match an allowlist entry: real pickles do not need attribute walks.
 */
export interface TrustedGlobal {
  pattern: string;
  why: string;
  /**
   * Patterns carved out of a namespace-wide entry: sub-packages that hold code-evaluating or
   * loading classes (`pandas.core.computation.expr.Expr` parses and evaluates a source string).
   */
  except?: readonly string[];
}

/** pandas sub-packages whose classes parse or run code, or read files: never trusted wholesale. */
const PANDAS_EVALUATING_NAMESPACES = [
  'pandas.core.computation.**',
  'pandas.core.config_init.**',
  'pandas.io.**',
  'pandas.core.apply.**',
  'pandas.core.window.**',
  'pandas.core.groupby.**',
];

const SCIPY_SPARSE_FORMATS = ['csr', 'csc', 'coo', 'lil', 'dok', 'bsr', 'dia'];

const PURE_BUILTINS = [
  'len',
  'abs',
  'min',
  'max',
  'sum',
  'round',
  'sorted',
  'reversed',
  'enumerate',
  'zip',
  'hash',
  'repr',
  'ord',
  'chr',
  'divmod',
  'pow',
  'all',
  'any',
  'isinstance',
  'issubclass',
  'id',
  'iter',
  'next',
  'format',
  'bin',
  'hex',
  'oct',
  'NotImplemented',
  'Ellipsis',
];

const NUMPY_UFUNCS = [
  'add',
  'subtract',
  'multiply',
  'divide',
  'true_divide',
  'floor_divide',
  'negative',
  'positive',
  'power',
  'float_power',
  'remainder',
  'mod',
  'fmod',
  'absolute',
  'fabs',
  'rint',
  'sign',
  'exp',
  'exp2',
  'expm1',
  'log',
  'log2',
  'log10',
  'log1p',
  'sqrt',
  'square',
  'cbrt',
  'reciprocal',
  'sin',
  'cos',
  'tan',
  'arcsin',
  'arccos',
  'arctan',
  'arctan2',
  'hypot',
  'sinh',
  'cosh',
  'tanh',
  'arcsinh',
  'arccosh',
  'arctanh',
  'deg2rad',
  'rad2deg',
  'maximum',
  'minimum',
  'fmax',
  'fmin',
  'isnan',
  'isinf',
  'isfinite',
  'floor',
  'ceil',
  'trunc',
  'clip',
  'logaddexp',
  'logaddexp2',
  'greater',
  'less',
  'equal',
  'not_equal',
  'logical_and',
  'logical_or',
  'logical_not',
  'logical_xor',
  'sinc',
  'i0',
];

export const TRUSTED_GLOBALS: readonly TrustedGlobal[] = [
  // --- Python builtins that only build plain data
  {
    pattern: 'builtins.set',
    why: 'sets are pickled as builtins.set(list) before protocol 4',
  },
  {
    pattern: 'builtins.frozenset',
    why: 'frozensets are pickled as builtins.frozenset(list)',
  },
  {
    pattern: 'builtins.slice',
    why: 'slice objects (e.g. in index state) carry only numbers',
  },
  {
    pattern: 'builtins.complex',
    why: 'complex numbers are pickled as builtins.complex(real, imag)',
  },
  { pattern: 'builtins.bytearray', why: 'bytearrays before protocol 5' },
  { pattern: 'builtins.bytes', why: 'empty bytes in protocol 2' },
  { pattern: 'builtins.range', why: 'range objects carry only numbers' },
  {
    pattern: 'builtins.object',
    why: 'base class passed to copyreg._reconstructor',
  },
  { pattern: 'builtins.int', why: 'int subclasses pickled through copyreg' },
  {
    pattern: 'builtins.float',
    why: 'float subclasses pickled through copyreg',
  },
  { pattern: 'builtins.str', why: 'str subclasses pickled through copyreg' },
  { pattern: 'builtins.list', why: 'list subclasses pickled through copyreg' },
  { pattern: 'builtins.dict', why: 'dict subclasses pickled through copyreg' },
  {
    pattern: 'builtins.tuple',
    why: 'tuple subclasses pickled through copyreg',
  },
  { pattern: 'builtins.bool', why: 'bool type references' },
  ...PURE_BUILTINS.map(name => ({
    pattern: `builtins.${name}`,
    why: 'a pure builtin function stored as a reference (e.g. defaultdict(len), key functions); it cannot import, evaluate or touch files',
  })),
  {
    pattern: 'collections.abc.*:Class',
    why: 'abstract base classes referenced in type metadata; they cannot be instantiated with effects',
  },
  {
    pattern: '__future__._Feature',
    why: 'a __future__ feature record (version tuples and a flag)',
  },
  {
    pattern: '_codecs.encode',
    why: 'protocol 2 pickles bytes as _codecs.encode(str, "latin1"): a pure conversion',
  },
  {
    pattern: 'copyreg._reconstructor',
    why: 'rebuilds an object of an already-imported class without calling it; the class is checked separately',
  },
  {
    pattern: 'copyreg.__newobj__',
    why: 'calls cls.__new__ of an already-imported class, checked separately',
  },
  {
    pattern: 'copyreg.__newobj_ex__',
    why: 'calls cls.__new__ with keywords, class checked separately',
  },
  // --- standard library value types
  {
    pattern: 'collections.OrderedDict',
    why: 'state_dicts and module _parameters are OrderedDicts',
  },
  {
    pattern: 'collections.defaultdict',
    why: 'defaultdict(factory): the factory is a global checked separately',
  },
  { pattern: 'collections.Counter', why: 'a dict subclass' },
  { pattern: 'collections.deque', why: 'a sequence container' },
  { pattern: 'datetime.datetime', why: 'timestamps in checkpoints' },
  { pattern: 'datetime.date', why: 'dates in metadata' },
  { pattern: 'datetime.time', why: 'times in metadata' },
  { pattern: 'datetime.timedelta', why: 'durations in metadata' },
  { pattern: 'datetime.timezone', why: 'time zones in metadata' },
  { pattern: 'decimal.Decimal', why: 'decimal numbers' },
  { pattern: 'fractions.Fraction', why: 'exact rational numbers' },
  {
    pattern: 'uuid.UUID',
    why: 'run identifiers (uuid._get_command_stdout is denylisted separately)',
  },
  {
    pattern: 'argparse.Namespace',
    why: 'hyperparameters saved by Lightning and fairseq',
  },
  // --- NumPy: array and scalar reconstruction (no code paths that import or evaluate)
  {
    pattern: 'numpy.core.multiarray._reconstruct',
    why: 'ndarray.__reduce__ (NumPy 1.x)',
  },
  {
    pattern: 'numpy._core.multiarray._reconstruct',
    why: 'ndarray.__reduce__ (NumPy 2.x)',
  },
  { pattern: 'numpy.core.multiarray.scalar', why: 'NumPy scalars (NumPy 1.x)' },
  {
    pattern: 'numpy._core.multiarray.scalar',
    why: 'NumPy scalars (NumPy 2.x)',
  },
  {
    pattern: 'numpy.core.numeric._frombuffer',
    why: 'protocol 5 array reconstruction (NumPy 1.x)',
  },
  {
    pattern: 'numpy._core.numeric._frombuffer',
    why: 'protocol 5 array reconstruction (NumPy 2.x)',
  },
  { pattern: 'numpy.ndarray', why: 'the array class itself' },
  // Universal functions pickle as a module-level reference (FunctionTransformer(numpy.log1p));
  // only arithmetic ufuncs, never numpy functions that load, save or evaluate.
  ...NUMPY_UFUNCS.flatMap(name =>
    [
      'numpy',
      'numpy.core._multiarray_umath',
      'numpy._core._multiarray_umath',
    ].map(module => ({
      pattern: `${module}.${name}`,
      why: 'a NumPy ufunc: elementwise arithmetic on arrays',
    })),
  ),
  { pattern: 'numpy.dtype', why: 'dtype reconstruction from a type string' },
  { pattern: 'numpy.dtypes.*:Class', why: 'NumPy 2 dtype classes' },
  {
    pattern: 'numpy.ma.core._mareconstruct',
    why: 'masked array reconstruction',
  },
  { pattern: 'numpy.ma.core.MaskedArray', why: 'masked array class' },
  {
    pattern: 'numpy.random._pickle.__randomstate_ctor',
    why: 'RandomState reconstruction',
  },
  {
    pattern: 'numpy.random._pickle.__generator_ctor',
    why: 'Generator reconstruction',
  },
  {
    pattern: 'numpy.random._pickle.__bit_generator_ctor',
    why: 'bit generator reconstruction',
  },
  {
    pattern: 'numpy.random.mtrand.RandomState',
    why: 'RandomState class (random_state of estimators)',
  },
  { pattern: 'numpy.bool_', why: 'NumPy scalar type' },
  { pattern: 'numpy.float16', why: 'NumPy scalar type' },
  { pattern: 'numpy.float32', why: 'NumPy scalar type' },
  { pattern: 'numpy.float64', why: 'NumPy scalar type' },
  { pattern: 'numpy.int8', why: 'NumPy scalar type' },
  { pattern: 'numpy.int16', why: 'NumPy scalar type' },
  { pattern: 'numpy.int32', why: 'NumPy scalar type' },
  { pattern: 'numpy.int64', why: 'NumPy scalar type' },
  { pattern: 'numpy.uint8', why: 'NumPy scalar type' },
  { pattern: 'numpy.uint16', why: 'NumPy scalar type' },
  { pattern: 'numpy.uint32', why: 'NumPy scalar type' },
  { pattern: 'numpy.uint64', why: 'NumPy scalar type' },
  { pattern: 'numpy.complex64', why: 'NumPy scalar type' },
  { pattern: 'numpy.complex128', why: 'NumPy scalar type' },
  { pattern: 'numpy.str_', why: 'NumPy scalar type' },
  {
    pattern: 'numpy.object_',
    why: 'NumPy scalar type (the object dtype class itself)',
  },
  // --- PyTorch: tensor/storage rebuild helpers and type tags written by torch.save
  {
    pattern: 'torch._utils._rebuild_*',
    why: 'tensor/parameter rebuild helpers called by torch.save pickles',
  },
  {
    pattern: 'torch._tensor._rebuild_from_type',
    why: 'tensor subclass rebuild; the function argument is checked separately',
  },
  {
    pattern: 'torch._tensor._rebuild_from_type_v2',
    why: 'tensor subclass rebuild; the function argument is checked separately',
  },
  {
    pattern: 'torch.*Storage',
    why: 'storage type tags in persistent IDs (FloatStorage, ...)',
  },
  { pattern: 'torch.storage.TypedStorage', why: 'storage class' },
  { pattern: 'torch.storage.UntypedStorage', why: 'storage class' },
  { pattern: 'torch.Size', why: 'tensor shapes' },
  { pattern: 'torch.device', why: 'device tags' },
  { pattern: 'torch.Tensor', why: 'tensor class' },
  {
    pattern: 'torch.*Tensor',
    why: 'legacy tensor type classes (FloatTensor, LongTensor, ...) named in pre-1.6 torch.save tar records',
  },
  {
    pattern: 'torch.nn.parameter.Parameter',
    why: 'trainable parameters in full-module pickles',
  },
  {
    pattern: 'torch.nn.parameter.Buffer',
    why: 'registered buffers in full-module pickles',
  },
  { pattern: 'torch.serialization._get_layout', why: 'layout lookup by name' },
  ...[
    'float16',
    'float32',
    'float64',
    'bfloat16',
    'half',
    'float',
    'double',
    'int8',
    'int16',
    'int32',
    'int64',
    'uint8',
    'uint16',
    'uint32',
    'uint64',
    'bool',
    'long',
    'int',
    'short',
    'complex32',
    'complex64',
    'complex128',
    'cfloat',
    'cdouble',
    'qint8',
    'quint8',
    'qint32',
    'quint4x2',
    'quint2x4',
    'float8_e4m3fn',
    'float8_e5m2',
    'float8_e4m3fnuz',
    'float8_e5m2fnuz',
    'strided',
    'sparse_coo',
    'sparse_csr',
    'sparse_csc',
    'sparse_bsr',
    'sparse_bsc',
    '_mkldnn',
    'contiguous_format',
    'channels_last',
    'channels_last_3d',
    'preserve_format',
    'per_tensor_affine',
    'per_channel_affine',
    'per_tensor_symmetric',
    'per_channel_symmetric',
    'per_channel_affine_float_qparams',
  ].map(name => ({
    pattern: `torch.${name}`,
    why: 'dtype, layout, memory-format or qscheme tag',
  })),
  {
    pattern: 'torch.nn.modules.**:Class',
    why: 'whole-module pickles reference nn.Module classes (classes only, never functions)',
  },
  {
    pattern: 'torch.optim.**:Class',
    why: 'optimizer and scheduler classes in full checkpoints',
  },
  // --- scikit-learn and joblib
  {
    pattern: 'sklearn.**:Class',
    why: 'estimator classes (functions and loaders in sklearn are not trusted)',
    except: ['sklearn.externals.**', 'sklearn.utils._testing.**'],
  },
  {
    pattern: 'joblib.numpy_pickle.NumpyArrayWrapper',
    why: 'joblib inline array marker; its raw buffer is skipped, not executed',
  },
  {
    pattern: 'joblib.numpy_pickle_compat.NDArrayWrapper',
    why: 'old joblib array marker pointing at a side file',
  },
  // --- XGBoost: exact names only (xgboost also has callbacks, collective and tracker code)
  {
    pattern: 'xgboost.core.Booster',
    why: 'Booster.__setstate__ hands its raw model bytes to the C++ model parser (XGBoosterUnserializeFromBuffer); no Python is called',
  },
  ...[
    'XGBModel',
    'XGBClassifier',
    'XGBRegressor',
    'XGBRanker',
    'XGBRFClassifier',
    'XGBRFRegressor',
  ].map(name => ({
    pattern: `xgboost.sklearn.${name}`,
    why: 'scikit-learn wrapper: hyperparameters and a Booster (custom objectives or callbacks are separate, checked globals)',
  })),
  // --- data containers that travel with estimators and checkpoints
  {
    pattern: 'scipy.sparse.**:Class',
    why: 'sparse matrices stored by estimators (e.g. vectorizer vocabularies)',
    except: ['scipy.sparse.linalg.**'],
  },
  // scipy names its sparse classes in lower case (csr_matrix), which `:Class` does not match.
  ...SCIPY_SPARSE_FORMATS.flatMap(format =>
    [`${format}_matrix`, `${format}_array`].map(name => ({
      pattern: `scipy.sparse._${format}.${name}`,
      why: 'sparse matrix/array class: index and data arrays only',
    })),
  ),
  ...SCIPY_SPARSE_FORMATS.flatMap(format =>
    [`${format}_matrix`, `${format}_array`].map(name => ({
      pattern: `scipy.sparse.${format}.${name}`,
      why: 'sparse matrix class as scipy < 1.8 names its module',
    })),
  ),
  {
    pattern: 'pandas.core.**:Class',
    why: 'DataFrame/Series/Index/array/dtype classes stored with pipelines; functions are not trusted',
    except: PANDAS_EVALUATING_NAMESPACES,
  },
  {
    pattern: 'pandas._libs.tslibs.timestamps._unpickle_timestamp',
    why: 'Timestamp reconstruction from numbers',
  },
  {
    pattern: 'pandas._libs.tslibs.timedeltas._timedelta_unpickle',
    why: 'Timedelta reconstruction from numbers',
  },
  {
    pattern: 'pandas._libs.tslibs.nattype.__nat_unpickle',
    why: 'NaT singleton',
  },
  {
    pattern: 'pandas.core.internals.blocks.new_block',
    why: 'block reconstruction from an array and placement',
  },
  {
    pattern: 'pandas.core.indexes.base._new_Index',
    why: 'Index reconstruction; the index class is a separate, checked global',
  },
  {
    pattern: 'pandas._libs.internals._unpickle_block',
    why: 'DataFrame block reconstruction from arrays',
  },
  { pattern: 'typing.Any', why: 'type annotation stored in omegaconf configs' },
  {
    pattern: 'omegaconf.**:Class',
    why: 'hyperparameter containers (DictConfig, ListConfig, nodes) in Lightning checkpoints',
  },
  {
    pattern: 'pytorch_lightning.utilities.parsing.AttributeDict',
    why: 'hyperparameter dict in Lightning checkpoints',
  },
  {
    pattern: 'lightning_fabric.utilities.data.AttributeDict',
    why: 'hyperparameter dict in Lightning checkpoints',
  },
  {
    pattern: 'torch.torch_version.TorchVersion',
    why: 'version string subclass saved in checkpoints',
  },
  {
    pattern: 'torch.ao.nn.**:Class',
    why: 'quantized module classes in whole-module pickles',
  },
  // --- dill: helpers it writes for plain data (everything else in dill is code reconstruction)
  {
    pattern: 'dill._dill._create_array',
    why: 'dill rebuilds ndarrays as _create_array(reconstructor, args, state): the reconstructor is a separate, checked global',
  },
  {
    pattern: 'dill._dill._create_namedtuple',
    why: 'namedtuple class from a name and identifier field names (validated by collections.namedtuple)',
  },
  // --- Hugging Face training_args.bin: dataclass and enums only
  ...[
    'transformers.training_args.TrainingArguments',
    'transformers.training_args.OptimizerNames',
    'transformers.training_args_seq2seq.Seq2SeqTrainingArguments',
    'transformers.trainer_utils.IntervalStrategy',
    'transformers.trainer_utils.SchedulerType',
    'transformers.trainer_utils.HubStrategy',
    'transformers.trainer_utils.SaveStrategy',
    'transformers.trainer_utils.FSDPOption',
    'accelerate.utils.dataclasses.DistributedType',
  ].map(pattern => ({
    pattern,
    why: 'training arguments dataclass or enum saved as training_args.bin',
  })),
];
