import type { ByteSource } from '../../../io/ByteSource';
import { MAX_DECOMPRESSED_BLOCK_BYTES } from '../options';

/** Values one page may declare; a header that claims more sizes an allocation, not data. */
const MAX_PAGE_VALUES = 16 * 1024 * 1024;

const PAGE_TYPES = new Set([
  'DATA_PAGE',
  'INDEX_PAGE',
  'DICTIONARY_PAGE',
  'DATA_PAGE_V2',
]);

interface PageHeader {
  type?: string;
  uncompressed_page_size?: number;
  compressed_page_size?: number;
  data_page_header?: { num_values?: number };
  data_page_header_v2?: { num_values?: number };
  dictionary_page_header?: { num_values?: number };
}
type ReadHeader = (reader: { view: DataView; offset: number }) => PageHeader;

interface ChunkMeta {
  codec?: string;
  data_page_offset: bigint;
  dictionary_page_offset?: bigint;
  total_compressed_size: bigint;
}

let headerModule: { parquetHeader: ReadHeader } | undefined;
function readHeader(): ReadHeader {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (headerModule ??= require('hyparquet/src/column.js')).parquetHeader;
}

/**
 * Every page header of one column chunk, checked before hyparquet decodes it: hyparquet trusts
 * them, and a mutated header (no type, no size) makes its page loop spin forever, while a lying
 * value count or page size sizes an allocation. Returns the chunk's bytes (so hyparquet does not
 * read them again) or throws with what is wrong.
 */
export async function checkColumnChunk(
  source: ByteSource,
  meta: ChunkMeta,
  codecs: ReadonlySet<string>,
): Promise<{ start: number; bytes: Uint8Array }> {
  // An unknown codec makes hyparquet reject a promise it does not await: refuse it first.
  if (!codecs.has(meta.codec ?? ''))
    throw new Error(`codec ${meta.codec} is not supported`);
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const length = Number(meta.total_compressed_size);
  if (!(start >= 4 && length >= 0 && start + length <= source.size - 8))
    throw new Error(
      `column chunk at ${start} (+${length}) lies outside the file`,
    );
  if (length > MAX_DECOMPRESSED_BLOCK_BYTES)
    throw new Error(
      `column chunk of ${length} bytes, over the ${MAX_DECOMPRESSED_BLOCK_BYTES}-byte limit`,
    );
  const bytes = await source.read(start, length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = { view, offset: 0 };
  const parse = readHeader();
  while (reader.offset < length) {
    const at = start + reader.offset;
    let header: PageHeader;
    try {
      header = parse(reader);
    } catch (error) {
      throw new Error(
        `page header at ${at} does not parse (${(error as Error).message})`,
      );
    }
    const size = header.compressed_page_size;
    const values =
      header.data_page_header?.num_values ??
      header.data_page_header_v2?.num_values ??
      header.dictionary_page_header?.num_values ??
      0;
    if (
      !PAGE_TYPES.has(header.type ?? '') ||
      !Number.isInteger(size) ||
      size! < 0 ||
      reader.offset + size! > length
    )
      throw new Error(`page header at ${at} has no valid type or size`);
    if (
      !Number.isInteger(header.uncompressed_page_size) ||
      header.uncompressed_page_size! < 0 ||
      header.uncompressed_page_size! > MAX_DECOMPRESSED_BLOCK_BYTES
    )
      throw new Error(
        `page at ${at} claims ${header.uncompressed_page_size} uncompressed bytes`,
      );
    if (!Number.isInteger(values) || values < 0 || values > MAX_PAGE_VALUES)
      throw new Error(`page at ${at} claims ${values} values`);
    reader.offset += size!;
  }
  return { start, bytes };
}

/** Serves hyparquet's reads of checked chunks from memory, anything else from the source. */
export function cachedAsyncBuffer(
  source: ByteSource,
  chunks: ReadonlyArray<{ start: number; bytes: Uint8Array }>,
) {
  const toArrayBuffer = (bytes: Uint8Array) =>
    bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
  return {
    byteLength: source.size,
    slice: async (start: number, end?: number): Promise<ArrayBuffer> => {
      const stop = end ?? source.size;
      const cached = chunks.find(
        chunk =>
          start >= chunk.start && stop <= chunk.start + chunk.bytes.length,
      );
      if (cached)
        return toArrayBuffer(
          cached.bytes.subarray(start - cached.start, stop - cached.start),
        );
      return toArrayBuffer(await source.read(start, stop - start));
    },
  };
}
