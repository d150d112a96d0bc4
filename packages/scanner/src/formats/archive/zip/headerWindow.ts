import type { ByteRange, ByteSource } from '../../../io/ByteSource';

/** Local headers closer together than this are fetched in one read: only members under 1 KiB are read incidentally. */
const NEAR = 1024;
/** Largest window fetched at once. */
const WINDOW = 256 * 1024;

/**
 * Reads local headers for many members with few I/O calls: when the next headers follow within a
 * few KB (an archive of many small members), one read covers a run of them. Headers of members
 * separated by large data (tensor storages) are still read one by one, so their data is never read.
 */
export class HeaderWindow {
  private windowStart = 0;
  private window: Uint8Array = new Uint8Array();
  private readonly offsets: number[];

  constructor(
    private readonly source: ByteSource,
    headerOffsets: readonly number[],
  ) {
    this.offsets = [...new Set(headerOffsets)].sort((a, b) => a - b);
  }

  /**
   * Hands the source every header range at once, merged the way `read` will merge them (headers
   * within NEAR of each other share one window), so a remote archive costs a few parallel round
   * trips instead of one sequential request per member. A local source ignores it.
   */
  async prefetch(ranges: readonly ByteRange[]): Promise<void> {
    if (!this.source.prefetch || ranges.length === 0) return;
    const sorted = [...ranges].sort((a, b) => a.offset - b.offset);
    const merged: { start: number; last: number; end: number }[] = [];
    for (const { offset, length } of sorted) {
      const run = merged[merged.length - 1];
      if (
        run &&
        offset - run.last <= NEAR &&
        offset + length - run.start <= WINDOW
      ) {
        run.last = offset;
        run.end = Math.max(run.end, offset + length);
      } else merged.push({ start: offset, last: offset, end: offset + length });
    }
    await this.source.prefetch(
      merged.map(run => ({ offset: run.start, length: run.end - run.start })),
    );
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const from = offset - this.windowStart;
    if (from >= 0 && from + length <= this.window.length)
      return this.window.subarray(from, from + length);
    let end = offset + length;
    let index = lowerBound(this.offsets, offset + 1);
    let previous = offset;
    while (index < this.offsets.length) {
      const next = this.offsets[index];
      if (next - previous > NEAR || next + length - offset > WINDOW) break;
      end = Math.max(end, next + length);
      previous = next;
      index++;
    }
    this.windowStart = offset;
    this.window = await this.source.read(offset, end - offset);
    return this.window.subarray(0, Math.min(length, this.window.length));
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
