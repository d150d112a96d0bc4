import type { FormatReader } from '../../engine/FormatReader';
import { joblibReader } from '../joblib/joblibReader';
import { numpyReader } from '../numpy/numpyReader';
import { pickleReader } from './pickleReader';

/** Readers for pickle-bearing formats: plain and legacy-PyTorch pickles, compressed joblib, NumPy .npy. */
export const PICKLE_FAMILY_READERS: FormatReader[] = [
  pickleReader,
  joblibReader,
  numpyReader,
];

export { scanPickleSource } from './scanPickle';
export { walkPickleStreams } from './streams';
export { walkStream } from './walker';
export { classifyGlobal } from './knowledge/classify';
