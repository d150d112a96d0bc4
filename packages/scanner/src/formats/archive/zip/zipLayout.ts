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
  /** True when no name occurs twice (the reader then skips counting copies). */
  namesDistinct: boolean;
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

  // `<top>/<data|constants>/` prefixes whose `<top>/<archive>.pkl` exists: a name is storage when it
  // starts with one of them and has no further slash (no slice or string built per member).
  const storagePrefixes: string[] = [];
  for (const top of torchTops)
    for (const archive of TENSOR_ARCHIVES)
      if (nameSet.has(`${top}/${archive}.pkl`))
        storagePrefixes.push(`${top}/${archive}/`);
  return {
    format,
    namesDistinct: nameSet.size === names.length,
    isStorage(name: string): boolean {
      // `<top>/<data|constants>/<key>`: exactly two slashes, no empty part.
      for (const prefix of storagePrefixes) {
        if (
          name.length > prefix.length &&
          name.startsWith(prefix) &&
          name.indexOf('/', prefix.length) < 0
        )
          return true;
      }
      return false;
    },
  };
}
