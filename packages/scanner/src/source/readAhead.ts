export type Loaded<T, R> =
  | { item: T; value: R; error?: undefined }
  | { item: T; value?: undefined; error: unknown };

/**
 * Loads items with up to `window` loads in flight and yields them in input order. Reading
 * thousands of small source files one await at a time leaves the CPU idle on I/O latency;
 * a small window keeps the parser busy without opening thousands of files at once.
 */
export async function* readAhead<T, R>(
  items: readonly T[],
  load: (item: T) => Promise<R>,
  window = 16,
): AsyncGenerator<Loaded<T, R>> {
  const settle = (item: T): Promise<Loaded<T, R>> =>
    load(item).then(
      value => ({ item, value }),
      error => ({ item, error }),
    );
  const inFlight: Array<Promise<Loaded<T, R>>> = [];
  let next = 0;
  while (next < items.length && inFlight.length < window)
    inFlight.push(settle(items[next++]));
  while (inFlight.length > 0) {
    const result = await inFlight.shift()!;
    if (next < items.length) inFlight.push(settle(items[next++]));
    yield result;
  }
}
