import type { BufferedSource } from '../common/BufferedSource';

/** GGUF value types (gguf.h). */
const TYPE = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const;
const FIXED_SIZE: Record<number, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};

export interface GgufLimits {
  maxKeyValues: number;
  maxTensors: number;
  /** Longest string kept in the summary (longer ones are skipped by offset, not read). */
  maxKeptString: number;
  maxArrayNesting: number;
  /** Structure bytes fetched before stopping. */
  maxHeaderBytes: number;
  /** Called every few thousand items (deadline checks). */
  onProgress?: () => void;
}

export interface GgufHeader {
  version: number;
  tensorCount: number;
  keyValueCount: number;
  /** String and scalar metadata by key (arrays are summarised by length). */
  metadata: Map<string, string | number | boolean | bigint>;
  /** Every problem found; parsing stops at the first structural one. */
  problems: string[];
  /** Keys whose string value was wanted but longer than `maxKeptString` (not checked). */
  unreadKeys: string[];
  /** Set when `maxHeaderBytes` stopped the walk. */
  limitHit?: string;
}

class GgufFormatError extends Error {}
class GgufLimitError extends Error {}

/**
 * Reads a GGUF header: magic, version, counts, every metadata key/value and every tensor
 * description, with caps on counts, string sizes and nesting. Tensor data is never touched.
 */
export async function readGgufHeader(
  input: BufferedSource,
  limits: GgufLimits,
): Promise<GgufHeader> {
  const header: GgufHeader = {
    version: 0,
    tensorCount: 0,
    keyValueCount: 0,
    metadata: new Map(),
    problems: [],
    unreadKeys: [],
  };
  let pos = 0;
  let items = 0;
  const size = input.size;

  const take = async (length: number): Promise<DataView> => {
    if (pos + length > size)
      throw new GgufFormatError(
        `truncated at byte ${pos} (needs ${length} more bytes)`,
      );
    if (pos + length > limits.maxHeaderBytes)
      throw new GgufLimitError(
        `header is larger than maxHeaderBytes (${limits.maxHeaderBytes})`,
      );
    const bytes = await input.bytes(pos, length);
    pos += length;
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
  const u32 = async () => (await take(4)).getUint32(0, true);
  const u64 = async () => (await take(8)).getBigUint64(0, true);
  // GGUF v1 used 32-bit lengths and counts; v2 and v3 use 64-bit ones.
  const count = async () =>
    header.version === 1 ? BigInt(await u32()) : u64();
  const tick = () => {
    if ((++items & 0x3ff) === 0) limits.onProgress?.();
  };

  const string = async (keep: boolean): Promise<string | undefined> => {
    const length = await count();
    if (length > BigInt(size - pos))
      throw new GgufFormatError(
        `string of ${length} bytes at byte ${pos} runs past the end of the file`,
      );
    const n = Number(length);
    if (keep && n <= limits.maxKeptString) {
      const view = await take(n);
      return Buffer.from(
        view.buffer,
        view.byteOffset,
        view.byteLength,
      ).toString('utf8');
    }
    if (pos + n > limits.maxHeaderBytes)
      throw new GgufLimitError(
        `header is larger than maxHeaderBytes (${limits.maxHeaderBytes})`,
      );
    pos += n;
    return undefined;
  };

  // Vocabularies hold 100k+ strings: skip them with synchronous reads from the cached page.
  const skipStrings = async (n: number) => {
    const prefixBytes = header.version === 1 ? 4 : 8;
    for (let i = 0; i < n; i++) {
      tick();
      const prefix =
        input.cached(pos, prefixBytes) ?? (await input.bytes(pos, prefixBytes));
      if (prefix.length < prefixBytes)
        throw new GgufFormatError(`truncated at byte ${pos}`);
      const view = new DataView(prefix.buffer, prefix.byteOffset, prefixBytes);
      const length =
        prefixBytes === 4
          ? view.getUint32(0, true)
          : Number(view.getBigUint64(0, true));
      if (length > size - pos - prefixBytes)
        throw new GgufFormatError(
          `string of ${length} bytes at byte ${pos} runs past the end of the file`,
        );
      pos += prefixBytes + length;
      if (pos > limits.maxHeaderBytes)
        throw new GgufLimitError(
          `header is larger than maxHeaderBytes (${limits.maxHeaderBytes})`,
        );
    }
  };

  const value = async (
    type: number,
    keep: boolean,
    depth: number,
  ): Promise<string | number | boolean | bigint | undefined> => {
    tick();
    switch (type) {
      case TYPE.u8:
        return (await take(1)).getUint8(0);
      case TYPE.i8:
        return (await take(1)).getInt8(0);
      case TYPE.u16:
        return (await take(2)).getUint16(0, true);
      case TYPE.i16:
        return (await take(2)).getInt16(0, true);
      case TYPE.u32:
        return (await take(4)).getUint32(0, true);
      case TYPE.i32:
        return (await take(4)).getInt32(0, true);
      case TYPE.f32:
        return (await take(4)).getFloat32(0, true);
      case TYPE.bool:
        return (await take(1)).getUint8(0) !== 0;
      case TYPE.u64:
        return (await take(8)).getBigUint64(0, true);
      case TYPE.i64:
        return (await take(8)).getBigInt64(0, true);
      case TYPE.f64:
        return (await take(8)).getFloat64(0, true);
      case TYPE.string:
        return string(keep);
      case TYPE.array: {
        if (depth >= limits.maxArrayNesting)
          throw new GgufFormatError(
            `arrays nested deeper than ${limits.maxArrayNesting}`,
          );
        const elementType = await u32();
        const length = await count();
        const fixed = FIXED_SIZE[elementType];
        if (fixed !== undefined) {
          // Fixed-size elements are skipped by offset; the length must fit the file.
          const bytes = length * BigInt(fixed);
          if (bytes > BigInt(size - pos))
            throw new GgufFormatError(
              `array of ${length} elements runs past the end of the file`,
            );
          if (pos + Number(bytes) > limits.maxHeaderBytes)
            throw new GgufLimitError(
              `header is larger than maxHeaderBytes (${limits.maxHeaderBytes})`,
            );
          pos += Number(bytes);
        } else if (elementType === TYPE.string || elementType === TYPE.array) {
          // Each element takes at least its 4- or 8-byte length prefix.
          if (length > BigInt(size - pos))
            throw new GgufFormatError(
              `array of ${length} elements runs past the end of the file`,
            );
          if (elementType === TYPE.string) await skipStrings(Number(length));
          else
            for (let i = 0n; i < length; i++)
              await value(elementType, false, depth + 1);
        } else {
          throw new GgufFormatError(
            `unknown array element type ${elementType}`,
          );
        }
        return Number(length);
      }
      default:
        throw new GgufFormatError(`unknown value type ${type}`);
    }
  };

  try {
    const magic = await take(4);
    if (magic.getUint32(0, false) !== 0x47475546)
      throw new GgufFormatError('missing GGUF magic');
    header.version = await u32();
    if (header.version < 1 || header.version > 3)
      throw new GgufFormatError(`unsupported GGUF version ${header.version}`);
    const tensorCount = await count();
    const keyValueCount = await count();
    header.tensorCount = Number(tensorCount);
    header.keyValueCount = Number(keyValueCount);
    if (keyValueCount > BigInt(limits.maxKeyValues))
      throw new GgufFormatError(`implausible metadata count ${keyValueCount}`);
    if (tensorCount > BigInt(limits.maxTensors))
      throw new GgufFormatError(`implausible tensor count ${tensorCount}`);

    for (let i = 0; i < header.keyValueCount; i++) {
      const key = await string(true);
      if (key === undefined)
        throw new GgufFormatError(
          `metadata key ${i} is longer than ${limits.maxKeptString} bytes`,
        );
      const type = await u32();
      const wanted =
        key.startsWith('general.') || key.startsWith('tokenizer.chat_template');
      // Scalar strings of any key are kept too (up to maxKeptString): a template can sit under a
      // custom key. Arrays (vocabularies) of other keys are skipped.
      const v = await value(type, wanted || type === TYPE.string, 0);
      if (header.metadata.has(key))
        header.problems.push(`metadata key "${key}" appears more than once`);
      if (v !== undefined) header.metadata.set(key, v);
      else if (wanted && type === TYPE.string) header.unreadKeys.push(key);
    }
    for (let i = 0; i < header.tensorCount; i++) {
      tick();
      await string(false);
      const dims = await u32();
      if (dims > 4)
        throw new GgufFormatError(
          `tensor ${i} has ${dims} dimensions (GGML supports at most 4)`,
        );
      await take(8 * dims);
      const type = await u32();
      if (type >= 128)
        throw new GgufFormatError(`tensor ${i} has unknown GGML type ${type}`);
      const offset = await u64();
      if (offset > BigInt(size))
        throw new GgufFormatError(
          `tensor ${i} data offset ${offset} is beyond the file size`,
        );
    }
  } catch (error) {
    if (error instanceof GgufFormatError) header.problems.push(error.message);
    else if (error instanceof GgufLimitError) header.limitHit = error.message;
    else throw error;
  }
  return header;
}
