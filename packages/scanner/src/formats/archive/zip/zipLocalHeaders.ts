import type { ReaderContext, ReaderInput } from '../../../engine/FormatReader';
import type { Location } from '../../../model/evidence';
import { decodeName, printableName } from '../support/memberName';
import { cappedEmitter, memberLocation, signal } from '../support/signals';
import { compareHeaders } from './zipChecks';
import type { DirectoryLocation } from './zipDirectory';
import { centralEntryAt, type DirectoryTable } from './zipDirectoryTable';
import type { MemberNames } from './zipNames';
import { HeaderWindow } from './headerWindow';
import {
  FLAG_DATA_DESCRIPTOR,
  FLAG_UTF8,
  LOCAL_HEADER_SIZE,
  SIG_LOCAL,
  U32_MAX,
  localSizes,
  parseLocalHeader,
  u16,
  u32,
} from './zipStructure';

/** Members handled between two reads of the clock (a mask: every 256th). */
export const DEADLINE_BATCH = 255;

/** Extra-field bytes read speculatively with each local header, to need one read per member. */
const LOCAL_EXTRA_GUESS = 96;

/** Where each member's data starts per its local header, as columns beside the directory table. */
export interface LocatedMembers {
  /** Data offset per the local header; NaN when the local header is missing. */
  dataOffset: Float64Array;
  /** 1 when both headers give the same name (only then may a storage name be trusted enough to skip reading). */
  namesAgree: Uint8Array;
}

/**
 * Reads each member's local header (30 bytes + name + extra) and reports where it disagrees with
 * the directory. Headers are compared in place in the header window: a member whose headers agree
 * (nearly all of them) costs no object, no view and no decoded name.
 */
export async function locateMembers(
  table: DirectoryTable,
  names: MemberNames,
  directory: DirectoryLocation,
  input: ReaderInput,
  ctx: ReaderContext,
): Promise<LocatedMembers> {
  const { source } = input;
  const count = table.count;
  const located: LocatedMembers = {
    dataOffset: new Float64Array(count).fill(NaN),
    namesAgree: new Uint8Array(count),
  };
  // Offsets are relative to the zip proper: shifted only when something precedes it.
  let headerOffsets = table.localOffset.subarray(0, count);
  if (directory.prefix !== 0) {
    headerOffsets = new Float64Array(count);
    for (let row = 0; row < count; row++)
      headerOffsets[row] = table.localOffset[row] + directory.prefix;
  }
  const headers = new HeaderWindow(source, headerOffsets);
  // Only a remote source uses the hint: a local one would build 100,000 ranges for nothing.
  if (source.prefetch) {
    const ranges = [];
    for (let row = 0; row < count; row++)
      ranges.push({
        offset: headerOffsets[row],
        length: LOCAL_HEADER_SIZE + table.nameLength[row] + LOCAL_EXTRA_GUESS,
      });
    await headers.prefetch(ranges);
  }
  const describe = disagreementReporter(table, names, input, ctx, located);
  const cd = table.bytes;
  for (let row = 0; row < count; row++) {
    // Rows whose header can be read without waiting and agrees (nearly all of them) are walked by
    // a synchronous loop, which the JIT compiles early; this loop sees only the rest.
    row = locateAgreeingRows(table, headerOffsets, headers, located, ctx, row);
    if (row >= count) break;
    ctx.checkDeadline();
    const headerAt = headerOffsets[row];
    const guessLength =
      LOCAL_HEADER_SIZE + table.nameLength[row] + LOCAL_EXTRA_GUESS;
    const window = await headers.read(headerAt, guessLength);
    const headerEnd = agreeingHeaderEnd(table, row, window, 0, cd);
    if (headerEnd > 0) {
      located.dataOffset[row] = headerAt + headerEnd;
      located.namesAgree[row] = 1;
      continue;
    }
    // Anything else (missing, truncated, ZIP64 sizes, a disagreement) takes the described path.
    await describe(row, headerAt, window, headers);
  }
  return located;
}

/**
 * Locates rows from `from` on while their local header is at hand without waiting (in the window,
 * or read synchronously from a local file) and agrees with the directory; returns the first row
 * that needs an asynchronous read or the described path (`count` when none is left).
 */
function locateAgreeingRows(
  table: DirectoryTable,
  headerOffsets: Float64Array,
  headers: HeaderWindow,
  located: LocatedMembers,
  ctx: ReaderContext,
  from: number,
): number {
  const count = table.count;
  const cd = table.bytes;
  for (let row = from; row < count; row++) {
    // The clock is read per batch of members, not per member.
    if ((row & DEADLINE_BATCH) === 0) ctx.checkDeadline();
    const headerAt = headerOffsets[row];
    // One read usually covers the whole header: the local name has the central name's length and
    // the extra field is short (PyTorch's alignment padding stays under 64 bytes, ZIP64 adds 20).
    const guessLength =
      LOCAL_HEADER_SIZE + table.nameLength[row] + LOCAL_EXTRA_GUESS;
    let at = headers.position(headerAt, guessLength);
    let window = headers.bytes;
    if (at < 0) {
      const read = headers.readSync(headerAt, guessLength);
      if (!read) return row;
      window = read;
      at = 0;
    }
    const headerEnd = agreeingHeaderEnd(table, row, window, at, cd);
    if (headerEnd === 0) return row;
    located.dataOffset[row] = headerAt + headerEnd;
    located.namesAgree[row] = 1;
  }
  return count;
}

/**
 * The local header's length when the header at `at` is whole in `window` and agrees with the
 * directory row (see localAgrees), else 0.
 */
function agreeingHeaderEnd(
  table: DirectoryTable,
  row: number,
  window: Uint8Array,
  at: number,
  cd: Uint8Array,
): number {
  const available = window.length - at;
  if (available < LOCAL_HEADER_SIZE) return 0;
  const localNameLength = u16(window, at + 26);
  const headerEnd = LOCAL_HEADER_SIZE + localNameLength + u16(window, at + 28);
  return available >= headerEnd &&
    u32(window, at) === SIG_LOCAL &&
    localAgrees(table, row, window, at, localNameLength, cd)
    ? headerEnd
    : 0;
}

/**
 * True when the local header at `at` says what the directory row says (method, flags, CRC and
 * sizes unless deferred to a data descriptor, the same name bytes) with 32-bit sizes: the common
 * case, decided without parsing the header into an object.
 */
function localAgrees(
  table: DirectoryTable,
  row: number,
  window: Uint8Array,
  at: number,
  localNameLength: number,
  cd: Uint8Array,
): boolean {
  const flags = u16(window, at + 6);
  if (flags !== table.flags[row] || u16(window, at + 8) !== table.method[row])
    return false;
  const compressed = u32(window, at + 18);
  const uncompressed = u32(window, at + 22);
  if (compressed === U32_MAX || uncompressed === U32_MAX) return false;
  const deferred = (flags & FLAG_DATA_DESCRIPTOR) !== 0;
  const crc = u32(window, at + 14);
  if (!(deferred && crc === 0) && crc !== table.crc32[row]) return false;
  if (
    !(deferred && compressed === 0) &&
    compressed !== table.compressedSize[row]
  )
    return false;
  if (
    !(deferred && uncompressed === 0) &&
    uncompressed !== table.uncompressedSize[row]
  )
    return false;
  if (localNameLength !== table.nameLength[row]) return false;
  const nameAt = table.nameStart[row];
  const localAt = at + LOCAL_HEADER_SIZE;
  for (let i = 0; i < localNameLength; i++)
    if (window[localAt + i] !== cd[nameAt + i]) return false;
  return true;
}

/** The slow path of one member: parses its local header, reads more when needed, reports what disagrees. */
function disagreementReporter(
  table: DirectoryTable,
  names: MemberNames,
  input: ReaderInput,
  ctx: ReaderContext,
  located: LocatedMembers,
) {
  const { location } = input;
  const emitCapped = cappedEmitter(ctx);
  return async (
    row: number,
    headerAt: number,
    guess: Uint8Array,
    headers: HeaderWindow,
  ): Promise<void> => {
    const name = names.text(row);
    const header = parseLocalHeader(guess);
    if (!header) {
      emitCapped(
        'missing-local',
        signal(
          'ARCHIVE-STRUCT',
          memberLocation(location, name),
          `${name}: no local file header at offset ${headerAt}; the member cannot be located`,
          'missing-local-header',
          { offset: headerAt },
        ),
      );
      return;
    }
    const headerEnd =
      LOCAL_HEADER_SIZE + header.nameLength + header.extraLength;
    const variable =
      headerEnd <= guess.length
        ? guess
        : await headers.read(headerAt, headerEnd);
    const localName = variable.subarray(
      LOCAL_HEADER_SIZE,
      LOCAL_HEADER_SIZE + header.nameLength,
    );
    // The extra field matters only when a size is saturated (ZIP64): no view of it otherwise.
    const sizes =
      header.compressedSize === U32_MAX || header.uncompressedSize === U32_MAX
        ? localSizes(
            header,
            variable.subarray(LOCAL_HEADER_SIZE + header.nameLength, headerEnd),
          )
        : header;
    located.dataOffset[row] = headerAt + headerEnd;
    const localUtf8 = (header.flags & FLAG_UTF8) !== 0;
    const disagreements = compareHeaders(
      centralEntryAt(table, row),
      header,
      localName,
      sizes,
      bytes => printableName(decodeName(bytes, localUtf8)),
    );
    located.namesAgree[row] = disagreements.some(
      disagreement => disagreement.field === 'name',
    )
      ? 0
      : 1;
    reportDisagreements(disagreements, name, location, emitCapped);
  };
}

function reportDisagreements(
  disagreements: ReturnType<typeof compareHeaders>,
  name: string,
  location: Location,
  emitCapped: ReturnType<typeof cappedEmitter>,
): void {
  for (const disagreement of disagreements) {
    emitCapped(
      `mismatch:${disagreement.field}`,
      signal(
        'ARCHIVE-ZIP-MISMATCH',
        memberLocation(location, name),
        `${name}: ${disagreement.field} is ${disagreement.central} in the central directory but ${disagreement.local} in the local header`,
        `mismatch:${disagreement.field}`,
        {
          field: disagreement.field,
          central: String(disagreement.central),
          local: String(disagreement.local),
        },
        disagreement.severity,
      ),
    );
  }
}
