/**
 * Distributions whose purpose is (or whose default storage is) pickle-style serialisation: loading
 * what they wrote runs code. Having one is not a vulnerability; it says where to look.
 */
export const RISKY_SERIALIZATION_PACKAGES: Record<string, string> = {
  dill: 'dill serialises code objects and closures; dill.load executes whatever the file says',
  cloudpickle:
    'cloudpickle serialises functions by value; loading its output is pickle.load',
  joblib:
    'joblib.load is pickle.load with numpy support: a .joblib file can run code when loaded',
  jsonpickle:
    'jsonpickle.decode rebuilds arbitrary objects (py/reduce) from JSON: untrusted input runs code',
  pickle5:
    'pickle5 is the pickle protocol 5 backport: loading untrusted data runs code',
  sqlitedict:
    'sqlitedict pickles values by default: a database someone else wrote can run code when read',
  pickleshare: 'pickleshare stores values as pickle files',
  klepto: 'klepto caches objects with dill/pickle',
};

/** A known-safe way a risky package arrives. It must say why it is safe. */
export interface SerializationAllowEntry {
  package: string;
  /** Allowed only when every path to it goes through one of these parents; omitted = allowed however it arrives. */
  via?: string[];
  reason: string;
}

export const DEFAULT_SERIALIZATION_ALLOWLIST: readonly SerializationAllowEntry[] =
  [
    {
      package: 'joblib',
      via: ['scikit-learn', 'imbalanced-learn', 'nltk'],
      reason:
        'required by the library for parallel execution and caching; only a risk if the project itself joblib.loads files it did not write',
    },
    {
      package: 'cloudpickle',
      via: ['dask', 'distributed', 'ray', 'gymnasium', 'gym', 'hyperopt'],
      reason:
        'used by the library to ship tasks between its own workers, not to load files from elsewhere',
    },
    {
      package: 'dill',
      via: ['datasets', 'multiprocess', 'evaluate'],
      reason:
        'Hugging Face datasets uses dill to fingerprint transforms for its cache, not to load downloaded data',
    },
    {
      package: 'pickleshare',
      via: ['ipython'],
      reason: 'IPython keeps its own local history and magics store with it',
    },
  ];
