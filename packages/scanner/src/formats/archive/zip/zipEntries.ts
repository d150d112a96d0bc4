import type { ByteSource } from '../../../io/ByteSource';
import { DEFAULT_LIMITS } from '../../../model/limits';
import { decompress } from '../support/decompress';
import { decodeName } from '../support/memberName';
import { locateCentralDirectory } from './zipDirectory';
import { centralEntryAt, parseDirectoryTable } from './zipDirectoryTable';
import {
  FLAG_ENCRYPTED,
  FLAG_UTF8,
  LOCAL_HEADER_SIZE,
  parseLocalHeader,
  type CentralEntry,
} from './zipStructure';

/** One member as the central directory lists it, with the archive prefix already applied. */
export interface ZipEntry {
  name: string;
  entry: CentralEntry;
  /** Offset of its local header in the source. */
  localOffset: number;
}

/**
 * The members of a zip that the caller chose to read (a data file such as the OSV export, not a
 * scanned artifact: the scanner's zip reader is for those, and reports every anomaly). Built on
 * the same record parsers; throws on what it cannot read instead of reporting it.
 */
export async function listZipEntries(
  source: ByteSource,
  options: { maxEntries: number; maxDirectoryBytes: number },
): Promise<ZipEntry[]> {
  const directory = await locateCentralDirectory(source);
  if (!directory)
    throw new Error('not a zip file (no end of central directory record)');
  if (directory.entriesTotal > options.maxEntries) {
    throw new Error(
      `zip has ${directory.entriesTotal} entries, more than the ${options.maxEntries} allowed`,
    );
  }
  if (directory.cdSize > options.maxDirectoryBytes) {
    throw new Error(
      `central directory is ${directory.cdSize} bytes, over ${options.maxDirectoryBytes}`,
    );
  }
  if (directory.cdStart + directory.cdSize > source.size)
    throw new Error('central directory lies outside the file');
  const table = parseDirectoryTable(
    await source.read(directory.cdStart, directory.cdSize),
    options.maxEntries,
  );
  if (table.problems.length > 0)
    throw new Error(`central directory is corrupt: ${table.problems[0]}`);
  const entries: ZipEntry[] = [];
  for (let row = 0; row < table.count; row++) {
    const entry = centralEntryAt(table, row);
    entries.push({
      name: decodeName(entry.nameBytes, (entry.flags & FLAG_UTF8) !== 0),
      entry,
      localOffset: entry.localOffset + directory.prefix,
    });
  }
  return entries;
}

/** A member's bytes, stored or deflated, refusing anything over `maxBytes` before reading it. */
export async function readZipEntry(
  source: ByteSource,
  member: ZipEntry,
  maxBytes: number,
): Promise<Uint8Array> {
  const { entry } = member;
  if (entry.uncompressedSize > maxBytes || entry.compressedSize > maxBytes) {
    throw new Error(
      `${member.name} is ${Math.max(
        entry.uncompressedSize,
        entry.compressedSize,
      )} bytes, over ${maxBytes}`,
    );
  }
  if (entry.flags & FLAG_ENCRYPTED)
    throw new Error(`${member.name} is encrypted`);
  const header = parseLocalHeader(
    await source.read(member.localOffset, LOCAL_HEADER_SIZE),
  );
  if (!header) throw new Error(`${member.name}: bad local header`);
  const dataAt =
    member.localOffset +
    LOCAL_HEADER_SIZE +
    header.nameLength +
    header.extraLength;
  if (dataAt + entry.compressedSize > source.size)
    throw new Error(`${member.name}: data runs past the end of the file`);
  const data = await source.read(dataAt, entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method !== 8)
    throw new Error(
      `${member.name}: unsupported compression method ${entry.method}`,
    );
  const limits = { ...DEFAULT_LIMITS, maxEntryBytes: maxBytes };
  const outcome = decompress('deflate-raw', data, limits, {
    remaining: maxBytes,
  });
  if (!outcome.ok)
    throw new Error(`${member.name}: ${outcome.refusal.message}`);
  if (outcome.damage) throw new Error(`${member.name}: ${outcome.damage}`);
  return outcome.bytes;
}
