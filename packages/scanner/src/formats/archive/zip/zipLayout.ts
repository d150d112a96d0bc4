/**
 * Recognises what a zip is for (PyTorch checkpoint, TorchScript, NumPy .npz, Keras v3) from its
 * member names, and which members are raw tensor storage that no loader deserialises.
 */
import type { MemberNames } from './zipNames';

/** Up to this many tops are matched against the bytes one by one; beyond, names are decoded once. */
const FEW_TOPS = 4;

export type ZipFormat =
  | 'pytorch-zip'
  | 'torchscript'
  | 'numpy-npz'
  | 'keras-v3'
  | 'zip';

export interface ZipLayout {
  format: ZipFormat;
  /**
   * 1 per row for `<top>/data/<key>` (and, in TorchScript, `<top>/constants/<key>`) next to the
   * matching `<top>/data.pkl` / `<top>/constants.pkl`: PyTorch reads these as raw bytes into tensor
   * storage (`writeArchiveAndTensors`), never through pickle, so they are recorded and not read.
   */
  storageRows: Uint8Array;
  /** True when no name occurs twice (the reader then skips counting copies). */
  namesDistinct: boolean;
}

const TENSOR_ARCHIVES = ['data', 'constants'];

export function classifyLayout(names: MemberNames): ZipLayout {
  const topsWithData = new Set<string>();
  // `<top>/data.pkl` with no other slash; only such names are decoded.
  for (const row of names.rowsEndingWith('/data.pkl')) {
    const top = names.text(row).slice(0, -'/data.pkl'.length);
    if (top.length > 0 && !top.includes('/')) topsWithData.add(top);
  }
  const withStorages = topsWithChild(names, topsWithData, 'data/');
  const torchTops = [...topsWithData].filter(
    top =>
      names.has(`${top}/version`) ||
      names.has(`${top}/.data/version`) ||
      withStorages.has(top),
  );
  // Only tops with a constants.pkl can be TorchScript: the scan for code/ is skipped for the rest.
  const withConstants = torchTops.filter(top =>
    names.has(`${top}/constants.pkl`),
  );
  const withCode = topsWithChild(names, new Set(withConstants), 'code/');
  const isScriptTop = (top: string) => withCode.has(top);

  let format: ZipFormat = 'zip';
  if (torchTops.some(isScriptTop)) format = 'torchscript';
  else if (torchTops.length > 0) format = 'pytorch-zip';
  else if (names.count > 0 && allEndWith(names, '.npy')) format = 'numpy-npz';
  else if (names.has('config.json') && names.has('metadata.json'))
    format = 'keras-v3';

  // `<top>/<data|constants>/` prefixes whose `<top>/<archive>.pkl` exists: a name is storage when it
  // starts with one of them and has no further slash (compared on the directory's bytes).
  const storagePrefixes: string[] = [];
  for (const top of torchTops)
    for (const archive of TENSOR_ARCHIVES)
      if (names.has(`${top}/${archive}.pkl`))
        storagePrefixes.push(`${top}/${archive}/`);
  return {
    format,
    namesDistinct: names.distinct,
    storageRows: markStorages(names, storagePrefixes),
  };
}

function markStorages(
  names: MemberNames,
  storagePrefixes: readonly string[],
): Uint8Array {
  const rows = new Uint8Array(names.count);
  if (storagePrefixes.length <= FEW_TOPS) {
    for (const prefix of storagePrefixes)
      names.markDirectChildren(prefix, rows);
    return rows;
  }
  // Many tops (no real checkpoint has more than one): one lookup per member, not one per top.
  const prefixSet = new Set(storagePrefixes);
  for (let row = 0; row < names.count; row++) {
    const text = names.text(row);
    const first = text.indexOf('/');
    const second = first < 0 ? -1 : text.indexOf('/', first + 1);
    if (
      second > 0 &&
      second < text.length - 1 &&
      text.indexOf('/', second + 1) < 0 &&
      prefixSet.has(text.slice(0, second + 1))
    )
      rows[row] = 1;
  }
  return rows;
}

/** The tops that have a member `<top>/<child>…`, in one pass over the names whatever their number. */
function topsWithChild(
  names: MemberNames,
  tops: ReadonlySet<string>,
  child: string,
): Set<string> {
  const found = new Set<string>();
  if (tops.size <= FEW_TOPS) {
    for (const top of tops)
      if (names.someStartsWith(`${top}/${child}`)) found.add(top);
    return found;
  }
  for (let row = 0; row < names.count; row++) {
    const text = names.text(row);
    const slash = text.indexOf('/');
    if (slash <= 0 || !text.startsWith(child, slash + 1)) continue;
    const top = text.slice(0, slash);
    if (tops.has(top)) found.add(top);
  }
  return found;
}

function allEndWith(names: MemberNames, suffix: string): boolean {
  for (let row = 0; row < names.count; row++)
    if (!names.endsWith(row, suffix)) return false;
  return true;
}
