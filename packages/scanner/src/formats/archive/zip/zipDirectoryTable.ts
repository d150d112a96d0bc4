/**
 * The central directory as columns: one typed array per field, names left as byte ranges of the
 * directory itself. A 100,000-member checkpoint then costs a dozen arrays instead of 100,000
 * objects and name views that the collector would copy for the whole scan.
 */
import { EXPECTED_FLAGS } from './zipChecks';
import {
  CENTRAL_HEADER_SIZE,
  SIG_CENTRAL,
  U32_MAX,
  ZIP64_EXTRA_TAG,
  findExtraField,
  u16,
  u32,
  u64,
  type CentralEntry,
} from './zipStructure';

export interface DirectoryTable {
  /** Records parsed. */
  count: number;
  /** The central directory's bytes: names are ranges of it. */
  bytes: Uint8Array;
  versionMadeBy: Uint16Array;
  flags: Uint16Array;
  method: Uint16Array;
  crc32: Uint32Array;
  /** Sizes and offsets after the ZIP64 extra field (doubles: ZIP64 values pass 2^32). */
  compressedSize: Float64Array;
  uncompressedSize: Float64Array;
  localOffset: Float64Array;
  externalAttributes: Uint32Array;
  nameStart: Uint32Array;
  nameLength: Uint16Array;
  /** 1 when a ZIP64 extra field supplied a value. */
  usesZip64: Uint8Array;
  /**
   * Rows, ascending, that are symbolic links or set unusual flag bits: noted while parsing so the
   * report visits only them (nearly always none).
   */
  noteRows: number[];
  /** What could not be parsed; parsing stops at the first broken record. */
  problems: string[];
  /** Bytes of the directory consumed by the parsed records. */
  consumed: number;
  /** True when parsing stopped at `maxEntries` with records left. */
  truncatedAtLimit: boolean;
}

/**
 * Parses central directory records until the bytes run out, as Python's zipfile does (it trusts
 * the directory size, not the entry count; miniz trusts the count, so the caller compares them).
 * Rows are allocated for as many records as the bytes can hold (46 bytes each), at most `maxEntries`.
 */
export function parseDirectoryTable(
  cd: Uint8Array,
  maxEntries: number,
): DirectoryTable {
  const rows = Math.max(
    0,
    Math.min(maxEntries, Math.floor(cd.length / CENTRAL_HEADER_SIZE)),
  );
  const table: DirectoryTable = {
    count: 0,
    bytes: cd,
    versionMadeBy: new Uint16Array(rows),
    flags: new Uint16Array(rows),
    method: new Uint16Array(rows),
    crc32: new Uint32Array(rows),
    compressedSize: new Float64Array(rows),
    uncompressedSize: new Float64Array(rows),
    localOffset: new Float64Array(rows),
    externalAttributes: new Uint32Array(rows),
    nameStart: new Uint32Array(rows),
    nameLength: new Uint16Array(rows),
    usesZip64: new Uint8Array(rows),
    noteRows: [],
    problems: [],
    consumed: 0,
    truncatedAtLimit: false,
  };
  let at = 0;
  let i = 0;
  while (at < cd.length) {
    if (i >= maxEntries) {
      table.truncatedAtLimit = true;
      break;
    }
    if (at + CENTRAL_HEADER_SIZE > cd.length) {
      table.problems.push(
        `central directory ends inside record ${i} (${
          cd.length - at
        } stray bytes)`,
      );
      break;
    }
    if (u32(cd, at) !== SIG_CENTRAL) {
      table.problems.push(
        `central directory record ${i} has no valid signature`,
      );
      break;
    }
    const nameLength = u16(cd, at + 28);
    const extraLength = u16(cd, at + 30);
    const commentLength = u16(cd, at + 32);
    const nameStart = at + CENTRAL_HEADER_SIZE;
    const end = nameStart + nameLength + extraLength + commentLength;
    if (end > cd.length) {
      table.problems.push(
        `central directory record ${i} runs past the directory`,
      );
      break;
    }
    const versionMadeBy = u16(cd, at + 4);
    const flags = u16(cd, at + 8);
    const externalAttributes = u32(cd, at + 38);
    table.versionMadeBy[i] = versionMadeBy;
    table.flags[i] = flags;
    table.method[i] = u16(cd, at + 10);
    table.crc32[i] = u32(cd, at + 16);
    table.compressedSize[i] = u32(cd, at + 20);
    table.uncompressedSize[i] = u32(cd, at + 24);
    table.externalAttributes[i] = externalAttributes;
    if (
      (flags & ~EXPECTED_FLAGS) !== 0 ||
      isSymlink(versionMadeBy, externalAttributes)
    )
      table.noteRows.push(i);
    table.localOffset[i] = u32(cd, at + 42);
    table.nameStart[i] = nameStart;
    table.nameLength[i] = nameLength;
    // Most entries have no extra field: nothing is looked up for them.
    if (extraLength > 0)
      applyZip64Extra(table, i, nameStart + nameLength, extraLength);
    i++;
    at = end;
  }
  table.count = i;
  table.consumed = at;
  return table;
}

/** Replaces saturated 32-bit fields with the ZIP64 extra field's values, in the order APPNOTE fixes. */
function applyZip64Extra(
  table: DirectoryTable,
  row: number,
  extraStart: number,
  extraLength: number,
): void {
  const field = findExtraField(
    table.bytes.subarray(extraStart, extraStart + extraLength),
    ZIP64_EXTRA_TAG,
  );
  if (!field) return;
  let at = 0;
  const next = (current: number): number => {
    if (at + 8 > field.length) return current;
    const value = u64(field, at);
    at += 8;
    return value;
  };
  if (table.uncompressedSize[row] === U32_MAX)
    table.uncompressedSize[row] = next(table.uncompressedSize[row]);
  if (table.compressedSize[row] === U32_MAX)
    table.compressedSize[row] = next(table.compressedSize[row]);
  if (table.localOffset[row] === U32_MAX)
    table.localOffset[row] = next(table.localOffset[row]);
  table.usesZip64[row] = 1;
}

/** One row as a record object: for the rare paths (a disagreement to describe, a data-file listing). */
export function centralEntryAt(
  table: DirectoryTable,
  row: number,
): CentralEntry {
  const nameStart = table.nameStart[row];
  return {
    index: row,
    versionMadeBy: table.versionMadeBy[row],
    flags: table.flags[row],
    method: table.method[row],
    crc32: table.crc32[row],
    compressedSize: table.compressedSize[row],
    uncompressedSize: table.uncompressedSize[row],
    localOffset: table.localOffset[row],
    externalAttributes: table.externalAttributes[row],
    nameBytes: table.bytes.subarray(
      nameStart,
      nameStart + table.nameLength[row],
    ),
    usesZip64: table.usesZip64[row] === 1,
  };
}

/** Unix file type from the external attributes, when the entry was made on Unix (host 3). */
export function isSymlinkRow(table: DirectoryTable, row: number): boolean {
  return isSymlink(table.versionMadeBy[row], table.externalAttributes[row]);
}

function isSymlink(versionMadeBy: number, externalAttributes: number): boolean {
  return (
    versionMadeBy >> 8 === 3 &&
    ((externalAttributes >>> 16) & 0o170000) === 0o120000
  );
}
