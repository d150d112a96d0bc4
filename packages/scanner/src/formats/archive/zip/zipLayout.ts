/**
 * Recognises what a zip is for (PyTorch checkpoint, TorchScript, NumPy .npz, Keras v3) from its
 * member names, and which members are raw tensor storage that no loader deserialises.
 */

export type ZipFormat =
  | 'pytorch-zip'
  | 'torchscript'
  | 'numpy-npz'
  | 'keras-v3'
  | 'zip';

export interface ZipLayout {
  format: ZipFormat;
  /**
   * True for `<top>/data/<key>` (and, in TorchScript, `<top>/constants/<key>`) next to the
   * matching `<top>/data.pkl` / `<top>/constants.pkl`: PyTorch reads these as raw bytes into tensor
   * storage (`writeArchiveAndTensors`), never through pickle, so they are recorded and not read.
   */
  isStorage(name: string): boolean;
}

const TENSOR_ARCHIVES = ['data', 'constants'];

export function classifyLayout(names: readonly string[]): ZipLayout {
  const nameSet = new Set(names);
  const topsWithData = new Set<string>();
  for (const name of names) {
    const match = /^([^/]+)\/data\.pkl$/.exec(name);
    if (match) topsWithData.add(match[1]);
  }
  const isTorchTop = (top: string) =>
    nameSet.has(`${top}/version`) ||
    nameSet.has(`${top}/.data/version`) ||
    names.some(n => n.startsWith(`${top}/data/`));
  const torchTops = [...topsWithData].filter(isTorchTop);
  const isScriptTop = (top: string) =>
    nameSet.has(`${top}/constants.pkl`) &&
    names.some(n => n.startsWith(`${top}/code/`));

  let format: ZipFormat = 'zip';
  if (torchTops.some(isScriptTop)) format = 'torchscript';
  else if (torchTops.length > 0) format = 'pytorch-zip';
  else if (names.length > 0 && names.every(n => n.endsWith('.npy')))
    format = 'numpy-npz';
  else if (nameSet.has('config.json') && nameSet.has('metadata.json'))
    format = 'keras-v3';

  const storageTops = new Set(torchTops);
  return {
    format,
    isStorage(name: string): boolean {
      const match = /^([^/]+)\/([^/]+)\/[^/]+$/.exec(name);
      if (
        !match ||
        !storageTops.has(match[1]) ||
        !TENSOR_ARCHIVES.includes(match[2])
      )
        return false;
      return nameSet.has(`${match[1]}/${match[2]}.pkl`);
    },
  };
}
