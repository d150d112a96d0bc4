/**
 * Known-safe risky calls inside third-party packages: a loader library's own implementation (the
 * project's call into it is what gets graded, first-party), or internal use on files the library
 * wrote itself. `path` is a glob relative to the package root (`site-packages/`).
 */
export interface ThirdPartyAllowEntry {
  package: string;
  path: string;
  reason: string;
}

export const THIRD_PARTY_ALLOWLIST: readonly ThirdPartyAllowEntry[] = [
  {
    package: 'torch',
    path: 'torch/serialization.py',
    reason:
      "torch.load's own implementation; call sites in the project are graded instead",
  },
  {
    package: 'torch',
    path: 'torch/_weights_only_unpickler.py',
    reason: 'the restricted unpickler behind weights_only=True',
  },
  {
    package: 'torch',
    path: 'torch/multiprocessing/**',
    reason: 'pickles tensors between worker processes of the same program',
  },
  {
    package: 'torch',
    path: 'torch/utils/data/**',
    reason: 'DataLoader workers exchange pickled batches in-process',
  },
  {
    package: 'torch',
    path: 'torch/distributed/**',
    reason: 'collectives pickle objects between ranks of the same job',
  },
  {
    package: 'numpy',
    path: 'numpy/lib/npyio.py',
    reason: "numpy.load's own implementation (allow_pickle defaults to False)",
  },
  {
    package: 'numpy',
    path: 'numpy/lib/_npyio_impl.py',
    reason: "numpy.load's own implementation (numpy 2.x layout)",
  },
  {
    package: 'numpy',
    path: 'numpy/lib/format.py',
    reason: '.npy reader; object arrays only with allow_pickle=True',
  },
  {
    package: 'numpy',
    path: 'numpy/lib/_format_impl.py',
    reason: '.npy reader (numpy 2.x layout)',
  },
  {
    package: 'scikit-learn',
    path: 'sklearn/**',
    reason:
      'joblib for parallelism and to cache datasets sklearn downloaded itself',
  },
  {
    package: 'joblib',
    path: 'joblib/**',
    reason:
      'the loader itself: joblib.load call sites are graded in the project',
  },
  { package: 'dill', path: 'dill/**', reason: 'the serialiser itself' },
  {
    package: 'cloudpickle',
    path: 'cloudpickle/**',
    reason: 'the serialiser itself',
  },
  {
    package: 'pandas',
    path: 'pandas/io/pickle.py',
    reason: "pandas.read_pickle's own implementation",
  },
  {
    package: 'pandas',
    path: 'pandas/compat/pickle_compat.py',
    reason: 'unpickler shims used by read_pickle',
  },
  {
    package: 'pyyaml',
    path: 'yaml/**',
    reason: 'the YAML library itself; unsafe loaders are graded at call sites',
  },
  {
    package: 'keras',
    path: 'keras/src/saving/**',
    reason: 'load_model implementation; safe_mode is graded at call sites',
  },
];
