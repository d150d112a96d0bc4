/**
 * Zstandard layers (`application/vnd.oci.image.layer.v1.tar+zstd`). Node's own zlib decoder (22.15+,
 * native and bounded by maxOutputLength) is used where it exists; older Node 22 releases fall back to
 * fzstd (pure JS, no dependencies), streamed in chunks so the same output bound stops a bomb before
 * it is held in memory. Either way, too much output or a broken frame is an ImageReadError.
 */
import * as zlib from 'node:zlib';
import { Decompress } from 'fzstd';
import { ImageReadError } from './limits';

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;

export function isZstd(bytes: Uint8Array): boolean {
  return ZSTD_MAGIC.every((byte, i) => bytes[i] === byte);
}

type ZstdSync = (
  input: Uint8Array,
  options: { maxOutputLength: number },
) => Buffer;

/** The native decoder, or undefined on a Node without one. */
export function nativeZstd(): ZstdSync | undefined {
  const candidate = (zlib as unknown as { zstdDecompressSync?: ZstdSync })
    .zstdDecompressSync;
  return typeof candidate === 'function' ? candidate : undefined;
}

const CHUNK = 1024 * 1024;

class OutputLimitReached extends Error {}

/** fzstd, fed 1 MiB at a time; stops as soon as the output passes `maxBytes`. */
export function decompressZstdPortable(
  bytes: Uint8Array,
  maxBytes: number,
): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Decompress(data => {
    total += data.length;
    if (total > maxBytes) throw new OutputLimitReached();
    // fzstd may reuse its window buffer: keep a copy.
    chunks.push(data.slice());
  });
  try {
    for (let at = 0; at < bytes.length; at += CHUNK) {
      const end = Math.min(bytes.length, at + CHUNK);
      stream.push(bytes.subarray(at, end), end === bytes.length);
    }
    if (bytes.length === 0) stream.push(new Uint8Array(), true);
  } catch (error) {
    if (error instanceof OutputLimitReached)
      throw new ImageReadError(
        `zstd layer decompresses to more than maxLayerBytes (${maxBytes})`,
      );
    throw new ImageReadError(
      `zstd layer could not be decompressed: ${(error as Error).message}`,
    );
  }
  return Buffer.concat(chunks);
}

export function decompressZstd(
  bytes: Uint8Array,
  maxBytes: number,
  decoder: ZstdSync | undefined = nativeZstd(),
): Uint8Array {
  if (!decoder) return decompressZstdPortable(bytes, maxBytes);
  try {
    return decoder(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const tooLarge =
      (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw new ImageReadError(
      tooLarge
        ? `zstd layer decompresses to more than maxLayerBytes (${maxBytes})`
        : `zstd layer could not be decompressed: ${(error as Error).message}`,
    );
  }
}
