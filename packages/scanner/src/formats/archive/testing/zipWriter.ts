/**
 * A tiny zip writer for tests: it can produce well-formed archives and every anomaly the reader
 * reports (header disagreements, duplicates, prefixes, overlaps, ZIP64, lying sizes...). Entries
 * may be "holes" (zero-filled stored data that is never materialised), so multi-GB archives can be
 * written as sparse files.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { openSync, writeSync, ftruncateSync, closeSync } from 'node:fs';

export interface ZipEntrySpec {
  name: string;
  /** Content; or `hole` for that many zero bytes stored without being materialised. */
  data?: Uint8Array | string;
  hole?: number;
  method?: 'stored' | 'deflate' | number;
  /** Body bytes written as-is (already "compressed" with `method`); `data` then only sets size and CRC. */
  compressed?: Uint8Array;
  /** Name written in the local header instead of `name`. */
  localName?: string;
  flags?: number;
  localFlags?: number;
  /** Override the CRC written in both headers. */
  crc?: number;
  /** Override the uncompressed size in the central directory. */
  centralUncompressedSize?: number;
  localUncompressedSize?: number;
  externalAttributes?: number;
  versionMadeBy?: number;
  /** Write the central record only, pointing at the local header of the named earlier entry. */
  aliasOf?: string;
  /** Bytes inserted before this entry's local header (not referenced by any entry). */
  gapBefore?: Uint8Array;
  /** Write a data descriptor after the data (sets flag bit 3 and zeroes local sizes/CRC). */
  dataDescriptor?: boolean;
  /** Extra field bytes for the local header (e.g. PyTorch's FB alignment padding). */
  localExtra?: Uint8Array;
}

export interface ZipSpec {
  entries: ZipEntrySpec[];
  prefix?: Uint8Array;
  suffix?: Uint8Array;
  comment?: string;
  /** Entry count written in the end record (default: the real count). */
  declaredCount?: number;
  /** Write ZIP64 end records and ZIP64 extra fields for every entry. */
  zip64?: boolean;
  /** Leave out the central directory and end record (a truncated download). */
  omitDirectory?: boolean;
}

export type Chunk = Uint8Array | { hole: number };

const FLAG_DESCRIPTOR = 0x0008;

class Out {
  readonly chunks: Chunk[] = [];
  offset = 0;
  push(chunk: Chunk) {
    this.chunks.push(chunk);
    this.offset += chunk instanceof Uint8Array ? chunk.length : chunk.hole;
  }
}

function le(bytes: number, value: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let rest = value;
  for (let i = 0; i < bytes; i++) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

function holeCrc(size: number): number {
  const block = Buffer.alloc(Math.min(size, 64 * 1024 * 1024));
  let crc = 0;
  for (let done = 0; done < size; done += block.length) {
    crc = crc32(block.subarray(0, Math.min(block.length, size - done)), crc);
  }
  return crc >>> 0;
}

function methodNumber(method: ZipEntrySpec['method']): number {
  if (method === 'deflate') return 8;
  if (method === undefined || method === 'stored') return 0;
  return method;
}

function encode(
  raw: Uint8Array | undefined,
  method: number,
  holeSize: number,
): Chunk {
  if (!raw) return { hole: holeSize };
  return method === 8 ? deflateRawSync(raw) : raw;
}

/** What a local header's size field says: 0 when deferred to a descriptor, saturated under ZIP64. */
function localSize(
  deferred: boolean,
  zip64: boolean | undefined,
  size: number,
): number {
  if (deferred) return 0;
  return zip64 ? 0xffffffff : size;
}

export function buildZipChunks(spec: ZipSpec): Chunk[] {
  const out = new Out();
  if (spec.prefix) out.push(spec.prefix);
  const written = new Map<
    string,
    {
      offset: number;
      crc: number;
      csize: number;
      usize: number;
      method: number;
    }
  >();
  const central: Uint8Array[] = [];

  for (const entry of spec.entries) {
    if (entry.gapBefore) out.push(entry.gapBefore);
    const name = Buffer.from(entry.name);
    let info = entry.aliasOf ? written.get(entry.aliasOf) : undefined;
    const flags =
      (entry.flags ?? 0) | (entry.dataDescriptor ? FLAG_DESCRIPTOR : 0);
    if (!info) {
      const raw =
        typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data;
      const methodCode = methodNumber(entry.method);
      const usize = raw ? raw.length : entry.hole ?? 0;
      const body: Chunk = entry.compressed ?? encode(raw, methodCode, usize);
      const csize = body instanceof Uint8Array ? body.length : body.hole;
      const crc = entry.crc ?? (raw ? crc32(raw) >>> 0 : holeCrc(usize));
      const offset = out.offset;
      const localFlags = entry.localFlags ?? flags;
      const deferred = (localFlags & FLAG_DESCRIPTOR) !== 0;
      const zip64Extra = spec.zip64
        ? concat([
            le(2, 1),
            le(2, 16),
            le(8, entry.localUncompressedSize ?? usize),
            le(8, csize),
          ])
        : new Uint8Array();
      const extra = concat([zip64Extra, entry.localExtra ?? new Uint8Array()]);
      const localName = Buffer.from(entry.localName ?? entry.name);
      out.push(
        concat([
          le(4, 0x04034b50),
          le(2, spec.zip64 ? 45 : 20),
          le(2, localFlags),
          le(2, methodCode),
          le(2, 0),
          le(2, 0x21),
          le(4, deferred ? 0 : crc),
          le(4, localSize(deferred, spec.zip64, csize)),
          le(
            4,
            localSize(
              deferred,
              spec.zip64,
              entry.localUncompressedSize ?? usize,
            ),
          ),
          le(2, localName.length),
          le(2, extra.length),
          localName,
          extra,
        ]),
      );
      out.push(body);
      if (entry.dataDescriptor)
        out.push(
          concat([le(4, 0x08074b50), le(4, crc), le(4, csize), le(4, usize)]),
        );
      info = { offset, crc, csize, usize, method: methodCode };
      written.set(entry.name, info);
    }
    const usize = entry.centralUncompressedSize ?? info.usize;
    const zip64Extra = spec.zip64
      ? concat([
          le(2, 1),
          le(2, 24),
          le(8, usize),
          le(8, info.csize),
          le(8, info.offset),
        ])
      : new Uint8Array();
    central.push(
      concat([
        le(4, 0x02014b50),
        le(2, entry.versionMadeBy ?? (spec.zip64 ? 45 : 20)),
        le(2, spec.zip64 ? 45 : 20),
        le(2, flags),
        le(2, info.method),
        le(2, 0),
        le(2, 0x21),
        le(4, info.crc),
        le(4, spec.zip64 ? 0xffffffff : info.csize),
        le(4, spec.zip64 ? 0xffffffff : usize),
        le(2, name.length),
        le(2, zip64Extra.length),
        le(2, 0),
        le(2, 0),
        le(2, 0),
        le(4, entry.externalAttributes ?? 0),
        le(
          4,
          spec.zip64 ? 0xffffffff : info.offset - (spec.prefix?.length ?? 0),
        ),
        name,
        zip64Extra,
      ]),
    );
  }
  if (spec.omitDirectory) return out.chunks;

  const cd = concat(central);
  const cdOffset = out.offset - (spec.prefix?.length ?? 0);
  out.push(cd);
  const count = spec.declaredCount ?? spec.entries.length;
  if (spec.zip64) {
    const recordOffset = out.offset;
    out.push(
      concat([
        le(4, 0x06064b50),
        le(8, 44),
        le(2, 45),
        le(2, 45),
        le(4, 0),
        le(4, 0),
        le(8, count),
        le(8, count),
        le(8, cd.length),
        le(8, cdOffset),
      ]),
    );
    out.push(
      concat([le(4, 0x07064b50), le(4, 0), le(8, recordOffset), le(4, 1)]),
    );
  }
  const comment = Buffer.from(spec.comment ?? '');
  out.push(
    concat([
      le(4, 0x06054b50),
      le(2, 0),
      le(2, 0),
      le(2, spec.zip64 ? 0xffff : count),
      le(2, spec.zip64 ? 0xffff : count),
      le(4, spec.zip64 ? 0xffffffff : cd.length),
      le(4, spec.zip64 ? 0xffffffff : cdOffset),
      le(2, comment.length),
      comment,
    ]),
  );
  if (spec.suffix) out.push(spec.suffix);
  return out.chunks;
}

/** The archive in memory (holes become real zeros: keep them small). */
export function buildZip(spec: ZipSpec): Uint8Array {
  return concat(
    buildZipChunks(spec).map(chunk =>
      chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk.hole),
    ),
  );
}

/** Writes the archive to `path`, leaving holes unwritten so a multi-GB member costs no disk. */
export function writeSparseZip(path: string, spec: ZipSpec): number {
  const fd = openSync(path, 'w');
  let offset = 0;
  try {
    for (const chunk of buildZipChunks(spec)) {
      if (chunk instanceof Uint8Array) {
        writeSync(fd, chunk, 0, chunk.length, offset);
        offset += chunk.length;
      } else {
        offset += chunk.hole;
      }
    }
    ftruncateSync(fd, offset);
  } finally {
    closeSync(fd);
  }
  return offset;
}

/** A PyTorch-layout archive: `<top>/data.pkl`, storages under `<top>/data/`, and `<top>/version`. */
export function pytorchZipSpec(
  pickle: Uint8Array,
  storages: ZipEntrySpec[],
  top = 'archive',
): ZipSpec {
  return {
    entries: [
      { name: `${top}/data.pkl`, data: pickle },
      ...storages.map(storage => ({
        ...storage,
        name: `${top}/data/${storage.name}`,
      })),
      { name: `${top}/version`, data: '3\n' },
    ],
  };
}
