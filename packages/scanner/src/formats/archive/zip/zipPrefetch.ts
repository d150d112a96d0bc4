import type { ByteRange, ByteSource } from '../../../io/ByteSource';
import { STORED_VERIFY_MAX } from './zipMember';
import { FLAG_ENCRYPTED, type CentralEntry } from './zipStructure';

/** Most member bytes hinted to a remote source ahead of the handover, in all. */
const MEMBER_PREFETCH_TOTAL = 8 * 1024 * 1024;
/** Stored and deflated members are read whole by the handover; other methods may be refused unread. */
const READ_WHOLE_METHODS = new Set([0, 8]);

interface LocatedMember {
  central: CentralEntry;
  name: string;
  dataOffset?: number;
  namesAgree: boolean;
}

/**
 * Hints the members the handover will read whole (pickles, configs, code: stored or deflated, not
 * encrypted, up to the CRC-verification size) to the source together, so a remote archive fetches
 * them in parallel instead of one after another. Tensor storages are never hinted, and the total
 * is capped so a hostile directory cannot make a hint fetch more than the scan would read.
 */
export async function prefetchSmallMembers(
  members: readonly LocatedMember[],
  /** Per member: a tensor storage the handover skips (never hinted). */
  isSkippedStorage: readonly boolean[],
  source: ByteSource,
): Promise<void> {
  if (!source.prefetch) return;
  const ranges: ByteRange[] = [];
  let total = 0;
  for (let i = 0; i < members.length; i++) {
    const member = members[i];
    const { central } = member;
    if (member.dataOffset === undefined) continue;
    if (isSkippedStorage[i]) continue;
    if (
      !READ_WHOLE_METHODS.has(central.method) ||
      (central.flags & FLAG_ENCRYPTED) !== 0 ||
      central.compressedSize > STORED_VERIFY_MAX ||
      total + central.compressedSize > MEMBER_PREFETCH_TOTAL
    )
      continue;
    total += central.compressedSize;
    ranges.push({ offset: member.dataOffset, length: central.compressedSize });
  }
  await source.prefetch(ranges);
}
