import type { ByteRange, ByteSource } from '../../../io/ByteSource';
import { STORED_VERIFY_MAX } from './zipMember';
import type { DirectoryTable } from './zipDirectoryTable';
import type { LocatedMembers } from './zipLocalHeaders';
import { FLAG_ENCRYPTED } from './zipStructure';

/** Most member bytes hinted to a remote source ahead of the handover, in all. */
const MEMBER_PREFETCH_TOTAL = 8 * 1024 * 1024;
/** Stored and deflated members are read whole by the handover; other methods may be refused unread. */
const READ_WHOLE_METHODS = new Set([0, 8]);

/**
 * Hints the members the handover will read whole (pickles, configs, code: stored or deflated, not
 * encrypted, up to the CRC-verification size) to the source together, so a remote archive fetches
 * them in parallel instead of one after another. Tensor storages are never hinted, and the total
 * is capped so a hostile directory cannot make a hint fetch more than the scan would read.
 */
export async function prefetchSmallMembers(
  table: DirectoryTable,
  located: LocatedMembers,
  /** Per row: 1 for a tensor storage the handover skips (never hinted). */
  skippedStorage: Uint8Array,
  source: ByteSource,
): Promise<void> {
  if (!source.prefetch) return;
  const ranges: ByteRange[] = [];
  let total = 0;
  for (let row = 0; row < table.count; row++) {
    const dataOffset = located.dataOffset[row];
    const size = table.compressedSize[row];
    if (Number.isNaN(dataOffset) || skippedStorage[row]) continue;
    if (
      !READ_WHOLE_METHODS.has(table.method[row]) ||
      (table.flags[row] & FLAG_ENCRYPTED) !== 0 ||
      size > STORED_VERIFY_MAX ||
      total + size > MEMBER_PREFETCH_TOTAL
    )
      continue;
    total += size;
    ranges.push({ offset: dataOffset, length: size });
  }
  await source.prefetch(ranges);
}
