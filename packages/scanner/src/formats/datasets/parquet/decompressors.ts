import { brotliDecompressSync, gunzipSync, type ZlibOptions } from 'node:zlib';
import * as zlib from 'node:zlib';
import { MAX_DECOMPRESSED_BLOCK_BYTES } from '../options';

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array;

/** A page header states its uncompressed size; we refuse more than the limit before allocating. */
function checkClaim(outputLength: number) {
  if (outputLength > MAX_DECOMPRESSED_BLOCK_BYTES || outputLength < 0)
    throw new Error(
      `page claims ${outputLength} uncompressed bytes, over the ${MAX_DECOMPRESSED_BLOCK_BYTES}-byte limit`,
    );
}

function guarded(
  decode: (input: Uint8Array, options: ZlibOptions) => Uint8Array,
): Decompress {
  return (input, outputLength) => {
    checkClaim(outputLength);
    return new Uint8Array(
      decode(input, { maxOutputLength: Math.max(1, outputLength) }),
    );
  };
}

/**
 * Parquet codecs decoded with Node's own zlib (bounded by `maxOutputLength`), so no native or WASM
 * compressor package is needed. Snappy is hyparquet's (pure JS), wrapped for the same size check.
 * LZ4, LZO and (on a Node without zstd) ZSTD stay unsupported: hyparquet throws, the reader reports.
 */
export function parquetDecompressors(
  snappyUncompress: (input: Uint8Array, output: Uint8Array) => void,
): Record<string, Decompress> {
  const codecs: Record<string, Decompress> = {
    GZIP: guarded((input, options) => gunzipSync(input, options)),
    BROTLI: guarded((input, options) => brotliDecompressSync(input, options)),
    SNAPPY: (input, outputLength) => {
      checkClaim(outputLength);
      const output = new Uint8Array(outputLength);
      snappyUncompress(input, output);
      return output;
    },
  };
  const zstd = (zlib as { zstdDecompressSync?: typeof gunzipSync })
    .zstdDecompressSync;
  if (zstd) codecs.ZSTD = guarded((input, options) => zstd(input, options));
  return codecs;
}
