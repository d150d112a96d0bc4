/**
 * Zstandard layers (`application/vnd.oci.image.layer.v1.tar+zstd`), decoded as a stream. Node's own
 * zlib decoder (22.15+, native) is used where it exists; older releases fall back to fzstd (pure JS,
 * no dependencies) fed chunk by chunk. The caller bounds the output (maxLayerBytes), so a bomb stops
 * at the first byte past the limit. A broken frame is an ImageReadError.
 */
import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { Decompress } from 'fzstd';
import { transformed, type ByteStream } from './byteStreams';
import { ImageReadError } from './limits';

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;

export function isZstd(bytes: Uint8Array): boolean {
  return ZSTD_MAGIC.every((byte, i) => bytes[i] === byte);
}

export type ZstdStreamFactory = () => Transform;

/** Output chunk of the native decoder (see OUTPUT_CHUNK in layerDecompress.ts for why not 16 KiB). */
const NATIVE_CHUNK = 1024 * 1024;

/** The native streaming decoder, or undefined on a Node without one. */
export function nativeZstd(): ZstdStreamFactory | undefined {
  const candidate = (
    zlib as unknown as {
      createZstdDecompress?: (options: { chunkSize: number }) => Transform;
    }
  ).createZstdDecompress;
  return typeof candidate === 'function'
    ? () => candidate({ chunkSize: NATIVE_CHUNK })
    : undefined;
}

function broken(error: unknown): ImageReadError {
  return error instanceof ImageReadError
    ? error
    : new ImageReadError(
        `zstd layer could not be decompressed: ${(error as Error).message}`,
      );
}

/** fzstd over a stream: each input chunk is pushed and its output yielded before the next is read. */
export async function* zstdPortable(source: ByteStream): ByteStream {
  let out: Uint8Array[] = [];
  // fzstd may reuse its window buffer: keep a copy.
  const stream = new Decompress(data => out.push(data.slice()));
  try {
    for await (const chunk of source) {
      stream.push(chunk);
      const ready = out;
      out = [];
      yield* ready;
    }
    stream.push(new Uint8Array(), true);
  } catch (error) {
    throw broken(error);
  }
  yield* out;
}

/** Native zlib over a stream, torn down when the consumer stops early. */
export async function* zstdNative(
  source: ByteStream,
  factory: ZstdStreamFactory,
): ByteStream {
  yield* transformed(source, factory(), broken);
}

export function zstdStream(
  source: ByteStream,
  factory: ZstdStreamFactory | undefined = nativeZstd(),
): ByteStream {
  return factory ? zstdNative(source, factory) : zstdPortable(source);
}
