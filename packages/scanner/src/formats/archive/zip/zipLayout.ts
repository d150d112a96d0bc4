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
    // `<top>/data.pkl` with no other slash, without a regex per member.
    if (!name.endsWith('/data.pkl')) continue;
    const top = name.slice(0, -'/data.pkl'.length);
    if (top.length > 0 && !top.includes('/')) topsWithData.add(top);
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
      // `<top>/<data|constants>/<key>`: exactly two slashes, no empty part.
      const first = name.indexOf('/');
      const second = first < 0 ? -1 : name.indexOf('/', first + 1);
      if (
        first <= 0 ||
        second <= first + 1 ||
        second === name.length - 1 ||
        name.indexOf('/', second + 1) >= 0
      )
        return false;
      const top = name.slice(0, first);
      const archive = name.slice(first + 1, second);
      if (!storageTops.has(top) || !TENSOR_ARCHIVES.includes(archive))
        return false;
      return nameSet.has(`${top}/${archive}.pkl`);
    },
  };
}
