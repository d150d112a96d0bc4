// Which files a model loader would open, judged by their extension.

/**
 * Extensions of files that a model loader would open. Such a file that no reader recognises is a
 * SCAN-UNSUPPORTED finding: unscannable input never passes silently. Other unrecognised files
 * (images, docs) are ignored.
 */
export const MODEL_EXTENSIONS = new Set([
  'pt',
  'pth',
  'bin',
  'ckpt',
  'pkl',
  'pickle',
  'joblib',
  'dill',
  'h5',
  'hdf5',
  'keras',
  'onnx',
  'pb',
  'safetensors',
  'gguf',
  'ggml',
  'npy',
  'npz',
  'model',
  'mar',
  'tflite',
  'pdparams',
  'msgpack',
  'nemo',
  'mlmodel',
  'llamafile',
  'sav',
  'pkl.gz',
  'tar',
  'zip',
  '7z',
  'gz',
  'bz2',
  'xz',
  'zst',
  'data',
]);

export function extensionOf(name: string): string {
  const lower = name.toLowerCase();
  const dot = lower.lastIndexOf('.');
  return dot <= 0 ? '' : lower.slice(dot + 1);
}
