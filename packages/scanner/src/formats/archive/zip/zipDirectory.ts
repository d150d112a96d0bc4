import type { ByteSource } from '../../../io/ByteSource';
import {
  EOCD_SEARCH_SPAN,
  EOCD_SIZE,
  SIG_CENTRAL,
  ZIP64_EOCD_SIZE,
  ZIP64_LOCATOR_SIZE,
  findEndOfCentralDirectory,
  parseZip64EndOfCentralDirectory,
  parseZip64Locator,
  u32,
  type EndOfCentralDirectory,
} from './zipStructure';

/** Where the central directory is, as the end records describe it, and what looked wrong. */
export interface DirectoryLocation {
  eocd: EndOfCentralDirectory;
  /** Entry count the end records declare (ZIP64 value when present). */
  entriesTotal: number;
  cdStart: number;
  cdSize: number;
  /**
   * Bytes prepended to the archive: the directory was found `prefix` bytes after the offset it
   * declares (Python's zipfile adds this "concat" to every offset; other readers do not).
   */
  prefix: number;
  /** Offset where the end records start (ZIP64 record, or the EOCD itself). */
  endRecordsStart: number;
  /** Offset just past the EOCD and its comment, clamped to the file size. */
  archiveEnd: number;
  zip64: boolean;
  problems: string[];
}

const QUICK_TAIL = 1024;

export async function locateCentralDirectory(
  source: ByteSource,
): Promise<DirectoryLocation | undefined> {
  // Most archives have no comment: try a small tail first, then the whole span a comment allows.
  let tailLength = Math.min(source.size, QUICK_TAIL);
  let tailOffset = source.size - tailLength;
  let tail = await source.read(tailOffset, tailLength);
  let eocd = findEndOfCentralDirectory(tail, tailOffset);
  if (!eocd && tailLength < source.size) {
    tailLength = Math.min(source.size, EOCD_SEARCH_SPAN + ZIP64_LOCATOR_SIZE);
    tailOffset = source.size - tailLength;
    tail = await source.read(tailOffset, tailLength);
    eocd = findEndOfCentralDirectory(tail, tailOffset);
  }
  if (!eocd) return undefined;

  const problems: string[] = [];
  let { entriesTotal, cdSize, cdOffset } = eocd;
  let endRecordsStart = eocd.offset;
  let zip64 = false;
  if (eocd.offset >= ZIP64_LOCATOR_SIZE) {
    const locatorAt = eocd.offset - ZIP64_LOCATOR_SIZE;
    const locator =
      locatorAt >= tailOffset
        ? tail.subarray(locatorAt - tailOffset, eocd.offset - tailOffset)
        : await source.read(locatorAt, ZIP64_LOCATOR_SIZE);
    const recordOffset = parseZip64Locator(locator);
    if (recordOffset !== undefined) {
      const record =
        recordOffset + ZIP64_EOCD_SIZE <= source.size
          ? parseZip64EndOfCentralDirectory(
              await source.read(recordOffset, ZIP64_EOCD_SIZE),
            )
          : undefined;
      if (record) {
        ({ entriesTotal, cdSize, cdOffset } = record);
        endRecordsStart = recordOffset;
        zip64 = true;
        if (recordOffset + record.recordSize !== locatorAt) {
          problems.push(
            `ZIP64 end record (${record.recordSize} bytes at ${recordOffset}) does not end at its locator (${locatorAt})`,
          );
        }
      } else {
        problems.push(
          `ZIP64 locator points to offset ${recordOffset}, where there is no ZIP64 end record`,
        );
        endRecordsStart = locatorAt;
      }
    }
  }
  if (!zip64 && eocd.entriesOnDisk !== eocd.entriesTotal) {
    problems.push(
      `end record declares ${eocd.entriesOnDisk} entries on this disk but ${eocd.entriesTotal} in total`,
    );
  }
  if (eocd.diskNumber !== 0 || eocd.cdDisk !== 0) {
    problems.push(
      `multi-disk (spanned) archive: disk ${eocd.diskNumber}, directory on disk ${eocd.cdDisk}`,
    );
  }

  // Python assumes the directory ends where the end records start and derives a prefix from it;
  // miniz and most tools trust the declared offset. Use whichever finds a directory, report both.
  let prefix = 0;
  const alignedStart = endRecordsStart - cdSize;
  if (alignedStart !== cdOffset && cdSize > 0) {
    const atDeclared =
      cdOffset + 4 <= source.size &&
      u32(await source.read(cdOffset, 4), 0) === SIG_CENTRAL;
    const atAligned =
      alignedStart >= 0 &&
      u32(await source.read(alignedStart, 4), 0) === SIG_CENTRAL;
    if (!atDeclared && atAligned && alignedStart > cdOffset) {
      prefix = alignedStart - cdOffset;
    } else if (alignedStart > cdOffset) {
      problems.push(
        `${
          alignedStart - cdOffset
        } bytes between the central directory and the end records (Python's zipfile reads the directory elsewhere)`,
      );
    } else {
      problems.push(
        `central directory (offset ${cdOffset}, ${cdSize} bytes) runs into the end records at ${endRecordsStart}`,
      );
    }
  }
  const cdStart = cdOffset + prefix;
  const archiveEnd = Math.min(
    source.size,
    eocd.offset + EOCD_SIZE + eocd.commentLength,
  );
  if (eocd.offset + EOCD_SIZE + eocd.commentLength > source.size) {
    problems.push(
      `end record comment (${eocd.commentLength} bytes) runs past the end of the file`,
    );
  }
  return {
    eocd,
    entriesTotal,
    cdStart,
    cdSize,
    prefix,
    endRecordsStart,
    archiveEnd,
    zip64,
    problems,
  };
}
