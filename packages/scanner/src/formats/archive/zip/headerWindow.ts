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
  /** The buffer local windows are read into; a view from `read`, `readSync` or `bytes` lasts until the next read. */
  private reusable: Uint8Array = new Uint8Array();
  private readonly offsets: Float64Array;

  constructor(
    private readonly source: ByteSource,
    /** Where each local header starts; not modified (copied when it must be sorted). */
    headerOffsets: Float64Array,
  ) {
    // Writers put local headers in directory order: the offsets are then used as they are, and
    // only an archive whose headers are out of order or shared pays for a sorted copy.
    let increasing = true;
    for (let i = 1; i < headerOffsets.length; i++)
      if (!(headerOffsets[i] > headerOffsets[i - 1])) {
        increasing = false;
        break;
      }
    if (increasing) {
      this.offsets = headerOffsets;
      return;
    }
    // A typed array sorts numerically in native code, without a comparator call per pair.
    const sorted = Float64Array.from(headerOffsets).sort();
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++)
      if (i === 0 || sorted[i] !== sorted[distinct - 1])
        sorted[distinct++] = sorted[i];
    this.offsets = sorted.subarray(0, distinct);
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

  /** The window last read: `position` says where a range lies in it. */
  get bytes(): Uint8Array {
    return this.window;
  }

  /**
   * Where `offset` lies in the current window when the window holds `length` bytes from there (no
   * await, no view per member), else -1.
   */
  position(offset: number, length: number): number {
    const from = offset - this.windowStart;
    return from >= 0 && from + length <= this.window.length ? from : -1;
  }

  /**
   * As `read`, without waiting: the bytes when the window holds them or the source reads
   * synchronously (a local file), undefined when only an asynchronous read can fetch them.
   */
  readSync(offset: number, length: number): Uint8Array | undefined {
    const held = this.position(offset, length);
    if (held >= 0) return this.window.subarray(held, held + length);
    const wanted = this.windowEnd(offset, length) - offset;
    if (!this.source.readSyncInto) {
      // Bytes in memory (an archive inside an archive) are a view, not a copy; a remote source
      // has no synchronous read at all.
      if (!this.source.readSync) return undefined;
      this.windowStart = offset;
      this.window = plainView(this.source.readSync(offset, wanted));
      return this.window.subarray(0, Math.min(length, this.window.length));
    }
    // A local file is read synchronously (one window costs tens of microseconds from the page
    // cache, less than the thread-pool round trip of an asynchronous read) into one buffer kept
    // for the walk: a fresh 256 KiB buffer per window was most of the walk's garbage.
    if (this.reusable.length < wanted)
      this.reusable = new Uint8Array(
        Math.max(wanted, Math.min(WINDOW, this.source.size)),
      );
    const filled = this.source.readSyncInto(
      this.reusable.subarray(0, wanted),
      offset,
    );
    this.windowStart = offset;
    this.window = this.reusable.subarray(0, filled);
    return this.window.subarray(0, Math.min(length, this.window.length));
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const now = this.readSync(offset, length);
    if (now) return now;
    const end = this.windowEnd(offset, length);
    const read = await this.source.read(offset, end - offset);
    this.windowStart = offset;
    this.window = plainView(read);
    return this.window.subarray(0, Math.min(length, this.window.length));
  }

  /** Where a window read for `offset` ends: it takes in the headers that follow within NEAR. */
  private windowEnd(offset: number, length: number): number {
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
    return end;
  }
}

/** A plain view: the per-member subarrays of a Buffer each run Buffer's constructor. */
function plainView(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
