// How many top-level files are scanned at once, and the window that keeps their results in order.

/** Files scanned at once: their I/O overlaps; results are merged in file order, so output is the same. */
export const FILE_CONCURRENCY = 16;

/**
 * Calls `start` for indexes 0 to `count - 1` with at most FILE_CONCURRENCY started and not yet
 * handed on, and hands each result to `done` in index order, starting the next index first.
 */
export async function runInOrder<T>(
  count: number,
  start: (index: number) => Promise<T>,
  done: (result: T, index: number) => void,
): Promise<void> {
  const inFlight = new Map<number, Promise<T>>();
  const begin = (index: number) => {
    inFlight.set(index, start(index));
  };
  for (let i = 0; i < Math.min(FILE_CONCURRENCY, count); i++) begin(i);
  for (let i = 0; i < count; i++) {
    const result = await inFlight.get(i)!;
    inFlight.delete(i);
    if (i + FILE_CONCURRENCY < count) begin(i + FILE_CONCURRENCY);
    done(result, i);
  }
}
