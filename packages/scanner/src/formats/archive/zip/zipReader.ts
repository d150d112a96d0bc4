import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import type { Location } from '../../../model/evidence';
import { budgetFor } from '../support/budget';
import {
  decodeName,
  describeHazards,
  nameHazards,
  printableName,
} from '../support/memberName';
import { cappedEmitter, memberLocation, signal } from '../support/signals';
import {
  analyseSpans,
  compareHeaders,
  unusualFlags,
  type EntrySpan,
} from './zipChecks';
import { locateCentralDirectory, type DirectoryLocation } from './zipDirectory';
import { classifyLayout } from './zipLayout';
import { walkLocalHeaders } from './zipLocalWalk';
import { HeaderWindow } from './headerWindow';
import { handOverMember, type HandoverTarget } from './zipMember';
import { prefetchSmallMembers } from './zipPrefetch';
import { torchScriptCodeSignals } from '../../torchscript/torchScriptSignals';
import {
  FLAG_UTF8,
  LOCAL_HEADER_SIZE,
  SIG_DATA_DESCRIPTOR,
  SIG_EOCD,
  SIG_LOCAL,
  U32_MAX,
  isSymlink,
  localSizes,
  parseCentralDirectory,
  parseLocalHeader,
  u32,
  FLAG_DATA_DESCRIPTOR,
  type CentralEntry,
} from './zipStructure';

/** Members handled between two reads of the clock (a mask: every 256th). */
const DEADLINE_BATCH = 255;

/** Extra-field bytes read speculatively with each local header, to need one read per member. */
const LOCAL_EXTRA_GUESS = 96;

/** One central directory entry joined with what its local header says. */
/**
 * Archives hold at least one member per this many bytes when they are real checkpoints (a sharded
 * state dict stores one member per tensor): the member limit grows with the file so that a large,
 * legitimate archive is not cut short, while a small file with a huge directory still is.
 */
export const BYTES_PER_MEMBER_ALLOWANCE = 16 * 1024;

export function memberLimitFor(
  archiveBytes: number,
  maxEntries: number,
): number {
  return Math.max(
    maxEntries,
    Math.floor(archiveBytes / BYTES_PER_MEMBER_ALLOWANCE),
  );
}

interface ZipMember {
  central: CentralEntry;
  name: string;
  /** The name as decoded, before control characters are escaped for display. */
  rawName: string;
  /** Data offset per the local header, or undefined when the local header is missing. */
  dataOffset?: number;
  /** Both headers give the same name (only then may a storage name be trusted enough to skip reading). */
  namesAgree: boolean;
}

/**
 * Zip reader (PyTorch `.pt`/`.bin`/`.ckpt`, TorchScript, `.npz`, `.keras`, plain zips). Reads the end
 * records, the central directory and each local header — a few KB for a multi-GB checkpoint — then
 * hands every member except raw tensor storage to the engine, and reports every structure on which
 * two readers could disagree.
 */
export const zipReader: FormatReader = {
  id: 'zip',
  priority: 50,
  sniff(head) {
    if (head.length < 4) return false;
    const signature = u32(head, 0);
    // Local header first (normal), an empty archive, or the spanning marker some writers put first.
    return (
      signature === SIG_LOCAL ||
      signature === SIG_EOCD ||
      signature === SIG_DATA_DESCRIPTOR
    );
  },
  sniffTail(tail, size) {
    // An end record whose comment runs exactly to the end of the input: something else is in front
    // of a zip (a polyglot), and zip-aware loaders would open it.
    for (let at = tail.length - 22; at >= 0; at--) {
      // 'P' first: one byte compare per position of a tail that is mostly not a zip.
      if (tail[at] !== 0x50 || u32(tail, at) !== SIG_EOCD) continue;
      const commentLength = tail[at + 20] | (tail[at + 21] << 8);
      if (at + 22 + commentLength === tail.length && size >= tail.length)
        return true;
    }
    return false;
  },
  read: readZip,
};

async function readZip(input: ReaderInput, ctx: ReaderContext): Promise<void> {
  const { source, location } = input;
  const budget = budgetFor(source, ctx.limits);
  const directory = await locateCentralDirectory(source);
  if (!directory) {
    ctx.emit(
      signal(
        'ARCHIVE-STRUCT',
        location,
        'No end-of-central-directory record: the zip is truncated or not a zip; members were recovered by walking local headers',
        'no-eocd',
      ),
    );
    await walkLocalHeaders(source, location, ctx, budget);
    return;
  }
  for (const problem of directory.problems) {
    ctx.emit(
      signal(
        'ARCHIVE-STRUCT',
        location,
        `Zip end records: ${problem}`,
        `end-records:${problem.replace(/\d+/g, 'N')}`,
      ),
    );
  }
  if (directory.cdSize > ctx.limits.maxHeaderBytes) {
    ctx.emit(
      signal(
        'SCAN-LIMIT',
        location,
        `central directory is ${directory.cdSize} bytes, over the ${ctx.limits.maxHeaderBytes}-byte header limit; the archive was not analysed`,
        'maxHeaderBytes',
        { limit: 'maxHeaderBytes' },
      ),
    );
    return;
  }
  const read = await source.read(directory.cdStart, directory.cdSize);
  // A plain view: names are subarrays of it, and a Buffer's subarray runs Buffer's constructor.
  const cdBytes = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
  const entryLimit = memberLimitFor(source.size, ctx.limits.maxEntries);
  const parsed = parseCentralDirectory(cdBytes, entryLimit);
  if (cdBytes.length < directory.cdSize) {
    parsed.problems.unshift(
      `central directory declared as ${directory.cdSize} bytes at ${directory.cdStart} but the file ends after ${cdBytes.length}`,
    );
  }
  for (const problem of parsed.problems) {
    ctx.emit(
      signal(
        'ARCHIVE-STRUCT',
        location,
        `Zip central directory: ${problem}`,
        `cd:${problem.replace(/\d+/g, 'N')}`,
      ),
    );
  }
  if (parsed.truncatedAtLimit) {
    ctx.emit(
      signal(
        'SCAN-LIMIT',
        location,
        `more than ${entryLimit} members (maxEntries, raised to one per ${
          BYTES_PER_MEMBER_ALLOWANCE / 1024
        } KiB of archive); the rest were not analysed`,
        'maxEntries',
        { limit: 'maxEntries', value: entryLimit },
      ),
    );
  } else if (parsed.entries.length !== directory.entriesTotal) {
    ctx.emit(
      signal(
        'ARCHIVE-STRUCT',
        location,
        `End record declares ${directory.entriesTotal} entries but the central directory holds ${parsed.entries.length} (readers that trust the count see a different archive)`,
        'entry-count',
        {
          declared: directory.entriesTotal,
          actual: parsed.entries.length,
        },
      ),
    );
  }
  if (parsed.entries.length === 0 && parsed.problems.length > 0) {
    await walkLocalHeaders(source, location, ctx, budget);
    return;
  }

  const members = await readLocalHeaders(parsed.entries, directory, input, ctx);
  const layout = classifyLayout(members.map(m => m.name));
  if (layout.format !== 'zip') ctx.setFormat(layout.format);

  reportNames(members, layout.namesDistinct, location, ctx);
  reportLayoutAnomalies(
    members,
    directory,
    input,
    ctx,
    parsed.truncatedAtLimit,
  );
  const torchScript = layout.format === 'torchscript';
  if (torchScript) {
    ctx.emit(
      signal(
        'ARCHIVE-TORCHSCRIPT',
        location,
        'TorchScript archive: the code under code/ is compiled and run by torch.jit.load; it was analysed for custom operators, Python escapes, file access and __setstate__',
        'torchscript',
      ),
    );
  }

  const target: HandoverTarget = {
    archive: source,
    container: location,
    ctx,
    budget,
    loadersSkipEncrypted: layout.format !== 'zip',
    ...(torchScript ? torchScriptHandling(ctx) : {}),
  };
  // Decided once per member: the prefetch and the handover loop both need it.
  const skipped = members.map(
    member => member.namesAgree && layout.isStorage(member.name),
  );
  await prefetchSmallMembers(members, skipped, source);
  let storages = 0;
  let storageBytes = 0;
  // Central records aliasing one local entry (an overlap bomb, already reported) are inflated once.
  const handedSpans = new Set<string>();
  for (let i = 0; i < members.length; i++) {
    const member = members[i];
    if ((i & DEADLINE_BATCH) === 0) ctx.checkDeadline();
    if (member.dataOffset === undefined) continue;
    // A storage whose local header names something else is read: a streaming loader would see that other name.
    if (skipped[i]) {
      storages++;
      storageBytes += member.central.uncompressedSize;
      continue;
    }
    if (member.name.endsWith('/') && member.central.compressedSize === 0)
      continue;
    const span = `${member.dataOffset}:${member.central.method}:${member.central.compressedSize}:${member.central.uncompressedSize}`;
    if (handedSpans.has(span)) continue;
    handedSpans.add(span);
    await handOverMember(
      {
        name: member.name,
        method: member.central.method,
        flags: member.central.flags,
        crc32: member.central.crc32,
        compressedSize: member.central.compressedSize,
        uncompressedSize: member.central.uncompressedSize,
        dataOffset: member.dataOffset,
      },
      target,
    );
  }
  if (storages > 0)
    recordStorages(location, layout.format, storages, storageBytes, ctx);
}

/** Reads each member's local header (30 bytes + name + extra) and reports where it disagrees with the directory. */
async function readLocalHeaders(
  entries: readonly CentralEntry[],
  directory: DirectoryLocation,
  input: ReaderInput,
  ctx: ReaderContext,
): Promise<ZipMember[]> {
  const { source, location } = input;
  const members: ZipMember[] = [];
  const emitCapped = cappedEmitter(ctx);
  const headerOffsets = new Float64Array(entries.length);
  for (let i = 0; i < entries.length; i++)
    headerOffsets[i] = entries[i].localOffset + directory.prefix;
  const headers = new HeaderWindow(source, headerOffsets);
  // Only a remote source uses the hint: a local one would build 100,000 ranges for nothing.
  if (source.prefetch) {
    await headers.prefetch(
      entries.map(entry => ({
        offset: entry.localOffset + directory.prefix,
        length: LOCAL_HEADER_SIZE + entry.nameBytes.length + LOCAL_EXTRA_GUESS,
      })),
    );
  }
  // One decoder for every member (a closure per member is garbage): it reads the flags of the
  // local header being compared.
  let localUtf8 = false;
  const decodeLocal = (bytes: Uint8Array) =>
    printableName(decodeName(bytes, localUtf8));
  for (let i = 0; i < entries.length; i++) {
    const central = entries[i];
    // The clock is read per batch of members, not per member.
    if ((i & DEADLINE_BATCH) === 0) ctx.checkDeadline();
    const rawName = decodeName(
      central.nameBytes,
      (central.flags & FLAG_UTF8) !== 0,
    );
    const name = printableName(rawName);
    const member: ZipMember = { central, name, rawName, namesAgree: false };
    members.push(member);
    const headerAt = central.localOffset + directory.prefix;
    // One read usually covers the whole header: the local name has the central name's length and
    // the extra field is short (PyTorch's alignment padding stays under 64 bytes, ZIP64 adds 20).
    const guessLength =
      LOCAL_HEADER_SIZE + central.nameBytes.length + LOCAL_EXTRA_GUESS;
    const guess =
      headers.peek(headerAt, guessLength) ??
      (await headers.read(headerAt, guessLength));
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
      continue;
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
    member.dataOffset =
      headerAt + LOCAL_HEADER_SIZE + header.nameLength + header.extraLength;
    localUtf8 = (header.flags & FLAG_UTF8) !== 0;
    const disagreements = compareHeaders(
      central,
      header,
      localName,
      sizes,
      decodeLocal,
    );
    member.namesAgree =
      disagreements.length === 0 ||
      !disagreements.some(disagreement => disagreement.field === 'name');
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
  return members;
}

/** Duplicate names, unsafe names, links and unusual flags. */
function reportNames(
  members: readonly ZipMember[],
  namesDistinct: boolean,
  location: Location,
  ctx: ReaderContext,
): void {
  const emitCapped = cappedEmitter(ctx);
  // The layout's name set already tells whether any name repeats; count copies only then.
  const counts = new Map<string, number>();
  if (!namesDistinct)
    for (const { name } of members)
      counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (count > 1) {
      emitCapped(
        'duplicate',
        signal(
          'ARCHIVE-DUPLICATE',
          memberLocation(location, name),
          `${name} appears ${count} times; loaders disagree on which copy they read (every copy was scanned)`,
          'duplicate',
          { copies: count },
        ),
      );
    }
  }
  for (const { name, rawName, central } of members) {
    const hazards = nameHazards(rawName);
    if (hazards.length > 0) {
      emitCapped(
        'traversal',
        signal(
          'ARCHIVE-PATH-TRAVERSAL',
          memberLocation(location, name),
          `Member name ${name} ${describeHazards(hazards)}`,
          `traversal:${hazards.join(',')}`,
          { hazards },
        ),
      );
    }
    if (isSymlink(central)) {
      emitCapped(
        'link',
        signal(
          'ARCHIVE-LINK',
          memberLocation(location, name),
          `${name} is a symbolic link`,
          'symlink',
        ),
      );
    }
    const unusual = unusualFlags(central.flags);
    if (unusual) {
      emitCapped(
        'flags',
        signal(
          'ARCHIVE-ZIP-FLAGS',
          memberLocation(location, name),
          `${name} sets unusual general-purpose flag bits 0x${unusual.toString(
            16,
          )}`,
          'flags',
          { flags: central.flags },
        ),
      );
    }
  }
}

/** Prepended or appended content, overlapping entries, and bytes that no entry accounts for. */
function reportLayoutAnomalies(
  members: readonly ZipMember[],
  directory: DirectoryLocation,
  input: ReaderInput,
  ctx: ReaderContext,
  stoppedEarly: boolean,
): void {
  const { location, source } = input;
  if (directory.prefix > 0) {
    ctx.emit(
      signal(
        'ARCHIVE-POLYGLOT',
        location,
        `${directory.prefix} bytes precede the zip proper (its offsets are relative to byte ${directory.prefix}): the file is another format with a zip appended`,
        'prefix',
        { bytes: directory.prefix },
      ),
    );
  }
  if (directory.archiveEnd < source.size) {
    ctx.emit(
      signal(
        'ARCHIVE-POLYGLOT',
        location,
        `${source.size - directory.archiveEnd} bytes follow the end of the zip`,
        'suffix',
        { bytes: source.size - directory.archiveEnd },
      ),
    );
  }
  const spans: EntrySpan[] = [];
  for (const member of members) {
    if (member.dataOffset === undefined) continue;
    spans.push({
      name: member.name,
      start: member.central.localOffset + directory.prefix,
      end: member.dataOffset + member.central.compressedSize,
      hasDescriptor: (member.central.flags & FLAG_DATA_DESCRIPTOR) !== 0,
    });
  }
  const report = analyseSpans(spans, directory.prefix, directory.cdStart);
  const emitCapped = cappedEmitter(ctx);
  for (const overlap of report.overlaps) {
    emitCapped(
      'overlap',
      signal(
        'ARCHIVE-ZIP-OVERLAP',
        memberLocation(location, overlap.second),
        `${overlap.second} overlaps ${overlap.first} at offset ${overlap.at}: the two entries share bytes`,
        `overlap:${overlap.first}`,
        { other: overlap.first, offset: overlap.at },
      ),
    );
  }
  // After stopping at the member limit the unparsed members' bytes look like gaps: they are not.
  for (const gap of stoppedEarly ? [] : report.gaps) {
    emitCapped(
      'gap',
      signal(
        'ARCHIVE-ZIP-OVERLAP',
        { ...location, offset: gap.start },
        `${gap.end - gap.start} bytes at offset ${
          gap.start
        } belong to no central directory entry (hidden content only a local-header walker sees)`,
        `gap:${gap.start === directory.prefix ? 'start' : 'between'}`,
        { offset: gap.start, bytes: gap.end - gap.start },
      ),
    );
  }
  const lastEnd = spans.reduce((max, span) => Math.max(max, span.end), 0);
  if (lastEnd > directory.cdStart) {
    ctx.emit(
      signal(
        'ARCHIVE-ZIP-OVERLAP',
        location,
        `member data runs into the central directory at offset ${directory.cdStart}`,
        'overlap:central-directory',
      ),
    );
  }
}

/** TorchScript members: pickles marked for the jit unpickler's names, code/**.py analysed for what it can reach. */
function torchScriptHandling(
  ctx: ReaderContext,
): Pick<HandoverTarget, 'childOptions' | 'inspect'> {
  return {
    childOptions: { torchScriptArchive: true },
    inspect(name, bytes, memberAt) {
      if (!/^[^/]+\/code\/.+\.py$/.test(name)) return;
      for (const found of torchScriptCodeSignals(bytes, name, memberAt))
        ctx.emit(found);
    },
  };
}

/** PyTorch storages are not read; the BOM records that they exist and how much they hold. */
function recordStorages(
  location: Location,
  format: string,
  count: number,
  bytes: number,
  ctx: ReaderContext,
): void {
  ctx.addComponent({
    type: 'machine-learning-model',
    name: [location.path, ...(location.entry ?? [])].join('!/'),
    path: location.path,
    properties: {
      format,
      tensorStorages: String(count),
      tensorStorageBytes: String(bytes),
    },
  });
}
