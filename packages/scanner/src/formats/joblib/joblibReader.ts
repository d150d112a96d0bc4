import { constants, gunzipSync, inflateSync } from 'node:zlib';
import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../engine/FormatReader';
import { BufferSource } from '../../io/ByteSource';
import { addModelComponent, scanPickleSource } from '../pickle/scanPickle';
import { sniffPickle } from '../pickle/pickleReader';

/** Names joblib files are given; gzip, bz2 and xz are only claimed under these (archives have their own reader). */
const JOBLIB_NAME = /\.(joblib|jbl|pkl|pickle|sav|z|gz|bz2|xz|lzma|lz4)$/i;

/**
 * Compressed joblib files (`joblib.dump(obj, path, compress=...)`). zlib and gzip are decompressed
 * (within the size and ratio limits) and the pickle inside is walked; uncompressed joblib files are
 * plain pickles with inline arrays, read by the pickle reader. lzma, xz, bz2 and lz4 cannot be
 * decompressed here (Node has no codec for them) and are reported as unscanned.
 */
export const joblibReader: FormatReader = {
  id: 'joblib',
  priority: 25,
  sniff(head, name) {
    const kind = compressionOf(head);
    if (kind === undefined) return false;
    if (kind === 'zfile' || JOBLIB_NAME.test(name)) return true;
    // joblib.load spots zlib by its first byte whatever the file is called, so neither may we. But
    // compress=1 and compress=3 headers are printable ("x\x01", "x^"), like some text: without a
    // joblib-like name, claim those only when the first bytes inflate to a pickle.
    return kind === 'zlib' && (head[1] >= 0x80 || inflatesToPickle(head));
  },
  async read(input, ctx) {
    ctx.setFormat('joblib');
    const kind = compressionOf(input.head);
    if (kind === undefined) return;
    if (kind !== 'zlib' && kind !== 'zfile' && kind !== 'gzip') {
      ctx.emit({
        ruleId: 'PICKLE-UNSCANNED',
        message: `${input.name} is a ${kind}-compressed joblib file; the scanner cannot decompress ${kind}, so its pickle was not checked`,
        location: input.location,
        evidence: { compression: kind },
        key: `compression:${kind}`,
      });
      return;
    }
    const decompressed = await decompress(input, ctx, kind);
    if (!decompressed) return;
    const source = new BufferSource(decompressed);
    if (!sniffPickle(decompressed.subarray(0, 4096), decompressed.length)) {
      await ctx.scanChild({
        name: input.name.replace(/\.(z|gz)$/i, ''),
        source,
      });
      return;
    }
    const summary = await scanPickleSource(
      { source, name: input.name, location: input.location, format: 'joblib' },
      ctx,
    );
    addModelComponent(input, ctx, { ...summary, format: `joblib-${kind}` });
  },
};

type Compression = 'zlib' | 'zfile' | 'gzip' | 'bz2' | 'xz' | 'lzma' | 'lz4';

/** Magic bytes of the wrappers joblib writes (its `_COMPRESSORS` prefixes). */
const MAGIC: ReadonlyArray<[Compression, readonly number[]]> = [
  ['zfile', [0x5a, 0x46, 0x30, 0x78]], // "ZF0x": joblib < 0.10
  ['gzip', [0x1f, 0x8b]],
  ['bz2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58]],
  ['lzma', [0x5d, 0x00, 0x00]],
  ['lz4', [0x04, 0x22, 0x4d, 0x18]],
];

export function compressionOf(head: Uint8Array): Compression | undefined {
  if (head.length < 4) return undefined;
  const match = MAGIC.find(([, magic]) =>
    magic.every((byte, i) => head[i] === byte),
  );
  if (match) return match[0];
  // zlib: CMF 0x78 (deflate, 32K window), FCHECK makes the pair a multiple of 31, no preset dictionary.
  const isZlib =
    head[0] === 0x78 &&
    ((head[0] << 8) | head[1]) % 31 === 0 &&
    (head[1] & 0x20) === 0;
  return isZlib ? 'zlib' : undefined;
}

/** Compressed bytes inflated to recognise a zlib-wrapped pickle from the head alone. */
const PROBE_INPUT_BYTES = 256;
/** Deflate expands at most ~1032:1, so this always holds the probe's output (no bomb, no overflow). */
const PROBE_OUTPUT_BYTES = 512 * 1024;

/** Whether the start of a zlib stream inflates (as far as it goes) to something that sniffs as a pickle. */
export function inflatesToPickle(head: Uint8Array): boolean {
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(head.subarray(0, PROBE_INPUT_BYTES), {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: PROBE_OUTPUT_BYTES,
    });
  } catch {
    return false; // not deflate data: text that happens to start with a valid zlib header
  }
  return (
    inflated.length > 0 &&
    sniffPickle(inflated.subarray(0, 4096), Number.MAX_SAFE_INTEGER)
  );
}

/** Old joblib (ZF format): `ZF0x` + hex length padded to 16 bytes, then a zlib stream. */
const ZFILE_HEADER_BYTES = 18;

async function decompress(
  input: ReaderInput,
  ctx: ReaderContext,
  kind: 'zlib' | 'zfile' | 'gzip',
): Promise<Uint8Array | undefined> {
  const compressedSize = input.source.size;
  if (compressedSize > ctx.limits.maxEntryBytes) {
    ctx.emit({
      ruleId: 'SCAN-LIMIT',
      message: `${input.name} is ${compressedSize} bytes compressed, over maxEntryBytes; it was not analysed`,
      location: input.location,
      evidence: { limit: 'maxEntryBytes', value: ctx.limits.maxEntryBytes },
      key: 'joblib:maxEntryBytes',
    });
    return undefined;
  }
  const compressed = await input.source.read(0, compressedSize);
  const body =
    kind === 'zfile' ? compressed.subarray(ZFILE_HEADER_BYTES) : compressed;
  const maxOutputLength = Math.max(
    1,
    Math.min(
      ctx.limits.maxPickleBytes,
      ctx.limits.maxEntryBytes,
      Math.max(1, compressedSize) * ctx.limits.maxCompressionRatio,
    ),
  );
  const options = { maxOutputLength, finishFlush: constants.Z_SYNC_FLUSH };
  try {
    return kind === 'gzip'
      ? gunzipSync(body, options)
      : inflateSync(body, options);
  } catch (error) {
    const tooLarge =
      (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ||
      error instanceof RangeError;
    ctx.emit({
      ruleId: tooLarge ? 'SCAN-LIMIT' : 'PICKLE-UNSCANNED',
      message: tooLarge
        ? `${input.name} decompresses to more than ${maxOutputLength} bytes (size or compression-ratio limit); it was not analysed`
        : `${input.name} looks ${kind}-compressed but does not decompress: ${
            (error as Error).message
          }`,
      location: input.location,
      evidence: tooLarge
        ? { limit: 'maxCompressionRatio', value: maxOutputLength }
        : { compression: kind },
      key: tooLarge ? 'joblib:decompressed-size' : `decompress:${kind}`,
    });
    return undefined;
  }
}
