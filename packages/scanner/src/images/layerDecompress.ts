/**
 * Decompresses a layer stream by its magic bytes (not the media type, which an attacker writes):
 * gzip through node:zlib's streaming gunzip, zstd through zstd.ts, anything else as a plain tar.
 * The output is bounded by maxLayerBytes as it flows, so a decompression bomb stops at the first
 * byte past the limit, having held one chunk, and becomes an unreadable-layer finding.
 */
import { createGunzip } from 'node:zlib';
import { transformed, type ByteStream } from './byteStreams';
import { ImageReadError, type ImageLimits } from './limits';
import { isZstd, zstdStream } from './zstd';

async function* prepend(first: Uint8Array, rest: ByteStream): ByteStream {
  if (first.length > 0) yield first;
  yield* rest;
}

/**
 * zlib's default 16 KiB output chunk makes every hop of the pipeline run 64 times per MiB; 1 MiB
 * chunks measured 5× faster on a 400 MB random gzip layer and keep memory at one chunk.
 */
export const OUTPUT_CHUNK = 1024 * 1024;

export async function* outputBounded(
  source: ByteStream,
  limit: number,
): ByteStream {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > limit)
      throw new ImageReadError(
        `layer decompresses to more than maxLayerBytes (${limit})`,
      );
    yield chunk;
  }
}

export async function* decompressedLayer(
  source: ByteStream,
  limits: ImageLimits,
): ByteStream {
  const iterator = source[Symbol.asyncIterator]();
  // Sniff the magic from the first chunk(s) without consuming the stream.
  let head = Buffer.alloc(0);
  let finished = false;
  while (head.length < 4) {
    const next = await iterator.next();
    if (next.done) {
      finished = true;
      break;
    }
    head = Buffer.concat([head, next.value]);
  }
  const remaining: ByteStream = finished
    ? (async function* empty() {})()
    : { [Symbol.asyncIterator]: () => iterator };
  const input = prepend(head, remaining);
  let output: ByteStream;
  if (head[0] === 0x1f && head[1] === 0x8b)
    output = transformed(
      input,
      createGunzip({ chunkSize: OUTPUT_CHUNK }),
      error =>
        error instanceof ImageReadError
          ? error
          : new ImageReadError(
              `gzip layer could not be decompressed: ${
                (error as Error).message
              }`,
            ),
    );
  else if (isZstd(head)) output = zstdStream(input);
  else output = input;
  yield* outputBounded(output, limits.maxLayerBytes);
}
