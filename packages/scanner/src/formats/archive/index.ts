import type { FormatReader } from '../../engine/FormatReader';
import { zipReader } from './zip/zipReader';
import { tarReader } from './tar/tarReader';
import { gzipReader } from './compressed/gzipReader';
import { bzip2Reader } from './compressed/bzip2Reader';
import { lzmaReader } from './compressed/lzmaReader';
import { unsupportedCompressionReader } from './compressed/unsupportedReader';

/** Containers: zip (PyTorch, TorchScript, npz, Keras v3), tar (incl. legacy PyTorch), gzip, and the ones we can only name. */
export const ARCHIVE_READERS: FormatReader[] = [
  zipReader,
  tarReader,
  gzipReader,
  bzip2Reader,
  lzmaReader,
  unsupportedCompressionReader,
];

export {
  zipReader,
  tarReader,
  gzipReader,
  bzip2Reader,
  lzmaReader,
  unsupportedCompressionReader,
};
