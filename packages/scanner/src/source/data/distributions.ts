/**
 * Import name → distribution name (PEP 503 normalised) for the usual cases where they differ.
 * `importToDistribution` from the dependency facts (read from installed `top_level.txt`/`RECORD`)
 * takes precedence; an import not listed anywhere is assumed to share its distribution's name.
 */
export const IMPORT_TO_DISTRIBUTION: Readonly<Record<string, string>> = {
  sklearn: 'scikit-learn',
  skimage: 'scikit-image',
  yaml: 'pyyaml',
  cv2: 'opencv-python',
  PIL: 'pillow',
  bs4: 'beautifulsoup4',
  dateutil: 'python-dateutil',
  dotenv: 'python-dotenv',
  jwt: 'pyjwt',
  google: 'protobuf',
  attr: 'attrs',
  tf_keras: 'tf-keras',
  pickle5: 'pickle5',
  OpenSSL: 'pyopenssl',
  Crypto: 'pycryptodome',
  serial: 'pyserial',
  magic: 'python-magic',
  multipart: 'python-multipart',
  sentencepiece: 'sentencepiece',
  lightgbm: 'lightgbm',
  xgboost: 'xgboost',
  tensorflow: 'tensorflow',
  onnxruntime: 'onnxruntime',
};

/**
 * Distributions whose presence matters to the quarterly stale-import report: each can load code
 * from data (pickle-based serialisers, model loaders with code paths) so a declaration nobody
 * uses is attack surface for nothing, and an import nobody declared escapes dependency review.
 */
export const RISKY_DISTRIBUTIONS: Readonly<Record<string, string>> = {
  dill: 'pickle superset: serialises and runs code objects',
  cloudpickle: 'pickle superset: serialises functions by value',
  joblib: 'pickle-based model persistence',
  jsonpickle: 'rebuilds arbitrary Python objects from JSON',
  pickle5: 'backport of pickle protocol 5',
  torch: '`torch.load` unpickles unless weights_only',
  keras: 'Lambda layers and `safe_mode=False` run code',
  'tf-keras': 'Lambda layers and `safe_mode=False` run code',
  tensorflow: 'SavedModel graphs can read and write files',
  transformers: '`trust_remote_code` runs repository code',
  pyyaml: '`yaml.load` with a full or unsafe Loader builds objects',
  pandas: '`read_pickle` unpickles',
};

/** PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normaliseDistribution(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The distribution an import's top-level name most likely comes from. */
export function distributionForImport(
  topLevel: string,
  fromFacts: Readonly<Record<string, string>> = {},
): string {
  const known = fromFacts[topLevel] ?? IMPORT_TO_DISTRIBUTION[topLevel];
  return normaliseDistribution(known ?? topLevel);
}
