import type { ByteSource } from '../../../io/ByteSource';
import { matchJsonEnd, tryParseJson } from '../common/boundedJson';

/**
 * Lifts the Keras JSON out of an HDF5 file without an HDF5 library. Keras stores `model_config`
 * and `training_config` as root attributes holding JSON text; h5py writes them inline in the
 * attribute message (fixed-length strings) or in a global heap collection (variable-length
 * strings). Either way the JSON bytes sit contiguously in the file, so a bounded search for the
 * attribute names and for `{"class_name"` followed by bracket matching recovers them.
 */
export const HDF5_SIGNATURE = Buffer.from([
  0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a,
]);
/** HDF5 allows a user block before the superblock, at 0, 512, 1024, 2048... */
const SIGNATURE_OFFSETS = [0, 512, 1024, 2048];

export function hdf5SignatureOffset(head: Uint8Array): number | undefined {
  return SIGNATURE_OFFSETS.find(
    at =>
      head.length >= at + 8 &&
      HDF5_SIGNATURE.every((b, i) => head[at + i] === b),
  );
}

export interface H5KerasScan {
  /** Attribute names seen (`model_config`, `training_config`, `keras_version`...). */
  attributeNames: string[];
  /** JSON documents recovered, with the attribute they followed when known. */
  documents: { origin: string; offset: number; value: unknown }[];
  /** Raw markers found even when no JSON could be recovered. */
  lambdaMarkerOffset?: number;
  /** True when the middle of the file (between the searched head and tail windows) was not searched. */
  truncated: boolean;
}

const CHUNK = 1024 * 1024;
const NAMES = ['model_config', 'training_config', 'keras_version', 'backend'];
const JSON_START = Buffer.from('{"class_name"');
const LAMBDA_MARKERS = [
  Buffer.from('"class_name": "Lambda"'),
  Buffer.from('"class_name":"Lambda"'),
  Buffer.from('__lambda__'),
];
/** How far after an attribute name its value may start (datatype and dataspace messages). */
const VALUE_WINDOW = 4096;

export async function scanH5ForKeras(
  source: ByteSource,
  options: {
    windowBytes: number;
    maxJsonBytes: number;
    checkDeadline: () => void;
  },
): Promise<H5KerasScan> {
  // Keras writes its attributes before the weights, so they sit near the start; attributes added
  // to an existing file land near the end. The middle (tensor data) is not searched.
  const window = options.windowBytes;
  const ranges: [number, number][] =
    source.size <= 2 * window
      ? [[0, source.size]]
      : [
          [0, window],
          [source.size - window, source.size],
        ];
  const result: H5KerasScan = {
    attributeNames: [],
    documents: [],
    truncated: source.size > 2 * window,
  };
  const starts = new Map<number, string>();
  const overlap = VALUE_WINDOW + 64;

  for (const [from, end] of ranges) {
    for (let offset = from; offset < end; offset += CHUNK) {
      options.checkDeadline();
      searchChunk(
        Buffer.from(
          await source.read(offset, Math.min(CHUNK + overlap, end - offset)),
        ),
        offset,
        result,
        starts,
      );
    }
  }

  const covered: [number, number][] = [];
  for (const [start, origin] of [...starts]
    .sort((a, b) => a[0] - b[0])
    .slice(0, 32)) {
    if (covered.some(([from, to]) => start >= from && start < to)) continue; // nested in a document already read
    const document = await readJsonAt(source, start, options.maxJsonBytes);
    if (!document) continue;
    covered.push([start, document.end]);
    result.documents.push({ origin, offset: start, value: document.value });
  }
  return result;
}

async function readJsonAt(source: ByteSource, start: number, maxBytes: number) {
  for (const length of [64 * 1024, maxBytes]) {
    const bytes = await source.read(start, Math.min(length, maxBytes));
    const end = matchJsonEnd(bytes, 0, bytes.length);
    if (end === undefined) {
      if (bytes.length < length) return undefined; // hit the end of the file
      continue;
    }
    const value = tryParseJson(
      Buffer.from(bytes.subarray(0, end)).toString('utf8'),
    );
    return value === undefined ? undefined : { value, end: start + end };
  }
  return undefined;
}

/** Records attribute names, JSON starts and Lambda markers in one chunk starting at `offset`. */
function searchChunk(
  chunk: Buffer,
  offset: number,
  result: H5KerasScan,
  starts: Map<number, string>,
) {
  for (const name of NAMES) {
    for (
      let at = chunk.indexOf(name);
      at !== -1 && at < CHUNK;
      at = chunk.indexOf(name, at + 1)
    ) {
      if (!result.attributeNames.includes(name))
        result.attributeNames.push(name);
      const brace = chunk.indexOf('{', at + name.length);
      if (
        brace !== -1 &&
        brace - at < VALUE_WINDOW &&
        (name === 'model_config' || name === 'training_config')
      ) {
        if (!starts.has(offset + brace)) starts.set(offset + brace, name);
      }
    }
  }
  for (
    let at = chunk.indexOf(JSON_START);
    at !== -1 && at < CHUNK;
    at = chunk.indexOf(JSON_START, at + 1)
  ) {
    if (!starts.has(offset + at)) starts.set(offset + at, 'model_config');
  }
  for (const marker of LAMBDA_MARKERS) {
    const at = chunk.indexOf(marker);
    if (at !== -1 && result.lambdaMarkerOffset === undefined)
      result.lambdaMarkerOffset = offset + at;
  }
}
