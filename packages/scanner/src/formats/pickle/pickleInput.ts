/**
 * What the pickle walker reads: bytes in memory, or a source read on demand through a window so that
 * a large pickle is walked without holding it whole (peak memory stays flat as files grow).
 */
export interface ChunkedBytes {
  readonly size: number;
  /** Up to `length` bytes from `offset`, in a fresh buffer (views into it stay valid). */
  readSync(offset: number, length: number): Uint8Array;
  /**
   * Optional: fills `target` from `offset` and returns the bytes read. When present the walker reads
   * every window into one buffer it reuses, so a large pickle costs one window of memory, not a
   * trail of window-sized buffers waiting for the garbage collector.
   */
  readInto?(target: Uint8Array, offset: number): number;
}

export type PickleBytes = Uint8Array | ChunkedBytes;

/** Bytes the walker reads at a time from a chunked source; an argument longer than this is read whole. */
export const WALK_WINDOW_BYTES = 4 * 1024 * 1024;

export function isChunked(input: PickleBytes): input is ChunkedBytes {
  return !(input instanceof Uint8Array);
}

export function sizeOf(input: PickleBytes): number {
  return isChunked(input) ? input.size : input.length;
}

/** `length` bytes from `offset` (fewer at the end): a view for memory, a read for a chunked source. */
export function bytesAt(
  input: PickleBytes,
  offset: number,
  length: number,
): Uint8Array {
  if (!isChunked(input)) return input.subarray(offset, offset + length);
  const from = Math.max(0, Math.min(offset, input.size));
  return input.readSync(from, Math.min(length, input.size - from));
}

/** Offset of the next `byte` at or after `from`, or -1; a chunked source is searched window by window. */
export function indexOfByte(
  input: PickleBytes,
  byte: number,
  from: number,
): number {
  if (!isChunked(input)) return input.indexOf(byte, from);
  for (let at = from; at < input.size; at += WALK_WINDOW_BYTES) {
    const found = bytesAt(input, at, WALK_WINDOW_BYTES).indexOf(byte);
    if (found >= 0) return at + found;
  }
  return -1;
}
