import { inflateRawSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import type { ByteSource } from '../../../io/ByteSource';
import { MAX_DECOMPRESSED_BLOCK_BYTES } from '../options';
import { loadHyparquet } from '../parquet/loadHyparquet';
import { AvroError, Cursor, type AvroSchema } from './avroBinary';

export const AVRO_MAGIC = [0x4f, 0x62, 0x6a, 0x01]; // "Obj" 1

export interface AvroHeader {
  schema: AvroSchema;
  codec: string;
  sync: Uint8Array;
  /** Offset of the first block. */
  dataOffset: number;
}

const utf8 = new TextDecoder();

/** Bytes fetched per header attempt; doubled up to `maxHeaderBytes` when the schema is larger. */
const HEADER_WINDOW = 64 * 1024;

/** The file header: magic, metadata map (`avro.schema`, `avro.codec`), sync marker. */
export async function readAvroHeader(
  source: ByteSource,
  maxHeaderBytes: number,
): Promise<AvroHeader> {
  for (let window = HEADER_WINDOW; ; window *= 2) {
    const length = Math.min(window, source.size, maxHeaderBytes);
    const bytes = await source.read(0, length);
    try {
      return parseHeader(bytes);
    } catch (error) {
      const truncated =
        error instanceof AvroError && error.message.startsWith('truncated');
      if (!truncated || length >= source.size) throw error;
      if (length >= maxHeaderBytes)
        throw new AvroError(
          `header larger than the ${maxHeaderBytes}-byte header limit`,
        );
    }
  }
}

function parseHeader(bytes: Uint8Array): AvroHeader {
  const cursor = new Cursor(bytes);
  const magic = cursor.take(4);
  if (!AVRO_MAGIC.every((byte, i) => magic[i] === byte))
    throw new AvroError('not an Avro object container (magic)');
  const metadata = new Map<string, Uint8Array>();
  for (;;) {
    let count = cursor.long();
    if (count === 0) break;
    if (count < 0) {
      count = -count;
      cursor.long();
    }
    if (count > 10_000) throw new AvroError(`${count} metadata entries`);
    for (let i = 0; i < count; i++) {
      const key = utf8.decode(cursor.take(cursor.long()));
      metadata.set(key, cursor.take(cursor.long()));
    }
  }
  const sync = cursor.take(16).slice();
  const schemaBytes = metadata.get('avro.schema');
  if (!schemaBytes) throw new AvroError('no avro.schema in the header');
  let schema: AvroSchema;
  try {
    schema = JSON.parse(utf8.decode(schemaBytes));
  } catch {
    throw new AvroError('avro.schema is not JSON');
  }
  const codec = metadata.has('avro.codec')
    ? utf8.decode(metadata.get('avro.codec'))
    : 'null';
  return { schema, codec, sync, dataOffset: cursor.offset };
}

export interface AvroBlock {
  objectCount: number;
  /** Decompressed data of the block. */
  data: Uint8Array;
  /** Offset of the block in the file, and of the next one. */
  offset: number;
  next: number;
}

/** Most bytes one block's two varints occupy. */
const BLOCK_PREFIX_BYTES = 20;

/** One block at `offset`: count, size, data, and the sync marker that must follow. */
export async function readAvroBlock(
  source: ByteSource,
  header: AvroHeader,
  offset: number,
): Promise<AvroBlock> {
  const prefix = new Cursor(await source.read(offset, BLOCK_PREFIX_BYTES));
  const objectCount = prefix.long();
  const size = prefix.long();
  if (objectCount < 0 || size < 0)
    throw new AvroError(`negative block count or size at offset ${offset}`);
  if (size > MAX_DECOMPRESSED_BLOCK_BYTES)
    throw new AvroError(
      `block at offset ${offset} claims ${size} bytes, over the ${MAX_DECOMPRESSED_BLOCK_BYTES}-byte limit`,
    );
  const start = offset + prefix.offset;
  if (start + size + 16 > source.size)
    throw new AvroError(`truncated block at offset ${offset}`);
  const body = await source.read(start, size + 16);
  const sync = body.subarray(size);
  if (!header.sync.every((byte, i) => sync[i] === byte))
    throw new AvroError(
      `sync marker mismatch after the block at offset ${offset}`,
    );
  return {
    objectCount,
    data: await decompress(body.subarray(0, size), header.codec),
    offset,
    next: start + size + 16,
  };
}

async function decompress(
  data: Uint8Array,
  codec: string,
): Promise<Uint8Array> {
  const options = { maxOutputLength: MAX_DECOMPRESSED_BLOCK_BYTES };
  switch (codec) {
    case 'null':
      return data;
    case 'deflate':
      return new Uint8Array(inflateRawSync(data, options));
    case 'zstandard': {
      const zstd = (zlib as { zstdDecompressSync?: typeof inflateRawSync })
        .zstdDecompressSync;
      if (zstd) return new Uint8Array(zstd(data, options));
      break;
    }
    case 'snappy':
      return snappyBlock(data);
    default:
  }
  throw new AvroError(`codec ${codec} is not supported`);
}

/** Avro's snappy blocks: raw snappy (its varint length first) followed by a 4-byte CRC we do not need. */
function snappyBlock(data: Uint8Array): Uint8Array {
  const body = data.subarray(0, Math.max(0, data.length - 4));
  let length = 0;
  let shift = 0;
  for (let i = 0; i < 5 && i < body.length; i++) {
    length += (body[i] & 0x7f) * 2 ** shift;
    if ((body[i] & 0x80) === 0) break;
    shift += 7;
  }
  if (length > MAX_DECOMPRESSED_BLOCK_BYTES)
    throw new AvroError(
      `snappy block claims ${length} bytes, over the ${MAX_DECOMPRESSED_BLOCK_BYTES}-byte limit`,
    );
  const { snappyUncompress } = loadHyparquet();
  const output = new Uint8Array(length);
  try {
    snappyUncompress(body, output);
  } catch (error) {
    throw new AvroError(
      `snappy block does not decode (${(error as Error).message})`,
    );
  }
  return output;
}
