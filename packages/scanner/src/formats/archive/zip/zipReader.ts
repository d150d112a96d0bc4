import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import type { Location } from '../../../model/evidence';
import { budgetFor } from '../support/budget';
import { signal } from '../support/signals';
import { locateCentralDirectory } from './zipDirectory';
import { parseDirectoryTable, type DirectoryTable } from './zipDirectoryTable';
import { classifyLayout } from './zipLayout';
import {
  DEADLINE_BATCH,
  locateMembers,
  type LocatedMembers,
} from './zipLocalHeaders';
import { reportLayoutAnomalies, reportNames } from './zipReports';
import { walkLocalHeaders } from './zipLocalWalk';
import { handOverMember, type HandoverTarget } from './zipMember';
import { MemberNames } from './zipNames';
import { prefetchSmallMembers } from './zipPrefetch';
import { torchScriptCodeSignals } from '../../torchscript/torchScriptSignals';
import { SIG_DATA_DESCRIPTOR, SIG_EOCD, SIG_LOCAL, u32 } from './zipStructure';

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
  const parsed = parseDirectoryTable(cdBytes, entryLimit);
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
  } else if (parsed.count !== directory.entriesTotal) {
    ctx.emit(
      signal(
        'ARCHIVE-STRUCT',
        location,
        `End record declares ${directory.entriesTotal} entries but the central directory holds ${parsed.count} (readers that trust the count see a different archive)`,
        'entry-count',
        {
          declared: directory.entriesTotal,
          actual: parsed.count,
        },
      ),
    );
  }
  if (parsed.count === 0 && parsed.problems.length > 0) {
    await walkLocalHeaders(source, location, ctx, budget);
    return;
  }

  const names = new MemberNames(parsed);
  const located = await locateMembers(parsed, names, directory, input, ctx);
  const layout = classifyLayout(names);
  if (layout.format !== 'zip') ctx.setFormat(layout.format);

  reportNames(parsed, names, location, ctx);
  reportLayoutAnomalies(
    parsed,
    names,
    located,
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
  // Decided once per member: the prefetch and the handover loop both need it. A storage whose
  // local header names something else is read: a streaming loader would see that other name.
  const skipped = layout.storageRows;
  for (let row = 0; row < parsed.count; row++)
    skipped[row] &= located.namesAgree[row];
  await prefetchSmallMembers(parsed, located, skipped, source);
  const storages = { count: 0, bytes: 0 };
  // Central records aliasing one local entry (an overlap bomb, already reported) are inflated once.
  const handedSpans = new Set<string>();
  for (let row = 0; row < parsed.count; row++) {
    // Storages (nearly every row of a checkpoint) are tallied by a synchronous loop, which the JIT
    // compiles early; this loop, which awaits each handover, sees only the members to hand over.
    row = tallyStoragesFrom(row, parsed, located, skipped, storages, ctx);
    if (row >= parsed.count) break;
    const dataOffset = located.dataOffset[row];
    const method = parsed.method[row];
    const compressedSize = parsed.compressedSize[row];
    const uncompressedSize = parsed.uncompressedSize[row];
    if (compressedSize === 0 && names.endsWith(row, '/')) continue;
    const span = `${dataOffset}:${method}:${compressedSize}:${uncompressedSize}`;
    if (handedSpans.has(span)) continue;
    handedSpans.add(span);
    await handOverMember(
      {
        name: names.text(row),
        method,
        flags: parsed.flags[row],
        crc32: parsed.crc32[row],
        compressedSize,
        uncompressedSize,
        dataOffset,
      },
      target,
    );
  }
  if (storages.count > 0)
    recordStorages(
      location,
      layout.format,
      storages.count,
      storages.bytes,
      ctx,
    );
}

/**
 * Counts the skipped storages from `from` on into `tally` and returns the first row to hand over
 * (located and not skipped), or `count` when none is left.
 */
function tallyStoragesFrom(
  from: number,
  table: DirectoryTable,
  located: LocatedMembers,
  skipped: Uint8Array,
  tally: { count: number; bytes: number },
  ctx: ReaderContext,
): number {
  for (let row = from; row < table.count; row++) {
    // The clock is read per batch of members, not per member.
    if ((row & DEADLINE_BATCH) === 0) ctx.checkDeadline();
    if (Number.isNaN(located.dataOffset[row])) continue;
    if (!skipped[row]) return row;
    tally.count++;
    tally.bytes += table.uncompressedSize[row];
  }
  return table.count;
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
