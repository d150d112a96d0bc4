/**
 * Zip records, parsed from bytes (APPNOTE 6.3.x). Pure functions: they never read more than the
 * bytes they are given and report what is wrong instead of throwing.
 */

export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_EOCD = 0x06054b50;
export const SIG_ZIP64_EOCD = 0x06064b50;
export const SIG_ZIP64_LOCATOR = 0x07064b50;
export const SIG_DATA_DESCRIPTOR = 0x08074b50;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const EOCD_SIZE = 22;
export const ZIP64_LOCATOR_SIZE = 20;
export const ZIP64_EOCD_SIZE = 56;
/** The EOCD comment is at most 65535 bytes, so the record sits in the last 64 KiB + 22 bytes. */
export const EOCD_SEARCH_SPAN = 0xffff + EOCD_SIZE;

const U16_MAX = 0xffff;
export const U32_MAX = 0xffffffff;
export const ZIP64_EXTRA_TAG = 0x0001;

export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DATA_DESCRIPTOR = 0x0008;
export const FLAG_STRONG_ENCRYPTION = 0x0040;
export const FLAG_UTF8 = 0x0800;
export const FLAG_MASKED_HEADER = 0x2000;

export function u16(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}

export function u32(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] |
      (bytes[at + 1] << 8) |
      (bytes[at + 2] << 16) |
      (bytes[at + 3] << 24)) >>>
    0
  );
}

/** Little-endian u64 as a JS number; values past 2^53 are clamped (no real file gets there). */
export function u64(bytes: Uint8Array, at: number): number {
  const value = u32(bytes, at) + u32(bytes, at + 4) * 2 ** 32;
  return Math.min(value, Number.MAX_SAFE_INTEGER);
}

export interface EndOfCentralDirectory {
  /** File offset of the EOCD record. */
  offset: number;
  entriesOnDisk: number;
  entriesTotal: number;
  cdSize: number;
  cdOffset: number;
  diskNumber: number;
  cdDisk: number;
  commentLength: number;
  /** True when a field is saturated (0xFFFF/0xFFFFFFFF), i.e. the ZIP64 record holds the value. */
  saturated: boolean;
}

/**
 * Finds the last EOCD signature in `tail` (the last bytes of the file, starting at `tailOffset`).
 * Python's zipfile and miniz (PyTorch) both take the last one, so we do too.
 */
export function findEndOfCentralDirectory(
  tail: Uint8Array,
  tailOffset: number,
): EndOfCentralDirectory | undefined {
  for (let at = tail.length - EOCD_SIZE; at >= 0; at--) {
    if (tail[at] !== 0x50 || u32(tail, at) !== SIG_EOCD) continue;
    const entriesOnDisk = u16(tail, at + 8);
    const entriesTotal = u16(tail, at + 10);
    const cdSize = u32(tail, at + 12);
    const cdOffset = u32(tail, at + 16);
    return {
      offset: tailOffset + at,
      diskNumber: u16(tail, at + 4),
      cdDisk: u16(tail, at + 6),
      entriesOnDisk,
      entriesTotal,
      cdSize,
      cdOffset,
      commentLength: u16(tail, at + 20),
      saturated:
        entriesTotal === U16_MAX ||
        entriesOnDisk === U16_MAX ||
        cdSize === U32_MAX ||
        cdOffset === U32_MAX,
    };
  }
  return undefined;
}

/** Reads the ZIP64 EOCD locator that precedes the EOCD record; returns the ZIP64 record's offset. */
export function parseZip64Locator(bytes: Uint8Array): number | undefined {
  if (bytes.length < ZIP64_LOCATOR_SIZE || u32(bytes, 0) !== SIG_ZIP64_LOCATOR)
    return undefined;
  return u64(bytes, 8);
}

export interface Zip64EndOfCentralDirectory {
  entriesTotal: number;
  cdSize: number;
  cdOffset: number;
  /** Size of the record including its 12-byte lead-in (signature + size field). */
  recordSize: number;
}

export function parseZip64EndOfCentralDirectory(
  bytes: Uint8Array,
): Zip64EndOfCentralDirectory | undefined {
  if (bytes.length < ZIP64_EOCD_SIZE || u32(bytes, 0) !== SIG_ZIP64_EOCD)
    return undefined;
  return {
    recordSize: u64(bytes, 4) + 12,
    entriesTotal: u64(bytes, 32),
    cdSize: u64(bytes, 40),
    cdOffset: u64(bytes, 48),
  };
}

export interface CentralEntry {
  /** Position in the central directory, 0-based. */
  index: number;
  versionMadeBy: number;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
  externalAttributes: number;
  nameBytes: Uint8Array;
  usesZip64: boolean;
}

export function findExtraField(
  extra: Uint8Array,
  tag: number,
): Uint8Array | undefined {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = u16(extra, at);
    const size = u16(extra, at + 2);
    if (id === tag)
      return extra.subarray(at + 4, Math.min(extra.length, at + 4 + size));
    at += 4 + size;
  }
  return undefined;
}

export interface LocalHeader {
  versionNeeded: number;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  nameLength: number;
  extraLength: number;
}

/** Parses the fixed 30-byte part of a local file header. */
export function parseLocalHeader(bytes: Uint8Array): LocalHeader | undefined {
  if (bytes.length < LOCAL_HEADER_SIZE || u32(bytes, 0) !== SIG_LOCAL)
    return undefined;
  return {
    versionNeeded: u16(bytes, 4),
    flags: u16(bytes, 6),
    method: u16(bytes, 8),
    crc32: u32(bytes, 14),
    compressedSize: u32(bytes, 18),
    uncompressedSize: u32(bytes, 22),
    nameLength: u16(bytes, 26),
    extraLength: u16(bytes, 28),
  };
}

/** Local sizes after the ZIP64 extra field (which, in a local header, holds both sizes when either is saturated). */
export function localSizes(
  header: LocalHeader,
  extra: Uint8Array,
): { compressedSize: number; uncompressedSize: number } {
  let { compressedSize, uncompressedSize } = header;
  const field = findExtraField(extra, ZIP64_EXTRA_TAG);
  if (field && (compressedSize === U32_MAX || uncompressedSize === U32_MAX)) {
    if (field.length >= 8 && uncompressedSize === U32_MAX)
      uncompressedSize = u64(field, 0);
    if (field.length >= 16 && compressedSize === U32_MAX)
      compressedSize = u64(field, 8);
  }
  return { compressedSize, uncompressedSize };
}

/** Unix file type from the external attributes, when the entry was made on Unix (host 3). */
export function isSymlink(
  entry: Pick<CentralEntry, 'versionMadeBy' | 'externalAttributes'>,
): boolean {
  const host = entry.versionMadeBy >> 8;
  return (
    host === 3 && ((entry.externalAttributes >>> 16) & 0o170000) === 0o120000
  );
}
