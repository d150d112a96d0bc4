import type { ByteRange, ByteSource } from './ByteSource';

/** A remote object could not be read in full (refused, short or changed answer, retries exhausted). */
export class RemoteReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteReadError';
  }
}

/**
 * Fetches `length` bytes at `offset` of one remote object (an HTTP `Range` request, a ranged S3
 * GetObject…). It must return exactly the bytes asked for, fewer only at end of object, and throw when
 * the server cannot serve them: a short or wrong answer is an incomplete read, never silent zeros.
 */
export type RangeFetcher = (
  offset: number,
  length: number,
) => Promise<Uint8Array>;

/** Bytes moved over the network, shared by every source of one scan so the CLI and benchmarks can report it. */
export class TransferMeter {
  bytes = 0;
  requests = 0;
}

/** Caps concurrent range requests (across all files of a scan when one limiter is shared). */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max)
      await new Promise<void>(resolve => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface RemoteByteSourceOptions {
  /**
   * Cache block size. Small on purpose: the zip reader touches one ~100-byte local header per member at
   * scattered offsets, so the block size is what each member costs (a 300-storage checkpoint: 64 KiB
   * blocks fetch 19 MiB, 16 KiB 4.9 MB, 2 KiB 0.7 MB). Contiguous reads are coalesced into one request
   * whatever the block size, so small blocks do not add round trips.
   */
  blockSize?: number;
  /** Blocks kept (LRU). blockSize × maxBlocks bounds memory per file. */
  maxBlocks?: number;
  /** Longest single request; bigger runs of missing blocks are split and fetched in parallel. */
  maxRequestBytes?: number;
  limiter?: ConcurrencyLimiter;
  meter?: TransferMeter;
}

export const REMOTE_DEFAULTS = {
  blockSize: 2 * 1024,
  maxBlocks: 16 * 1024,
  maxRequestBytes: 4 * 1024 * 1024,
  parallelRequests: 4,
} as const;

/**
 * A ByteSource over a remote object read by ranges, with an LRU block cache so that the header-only
 * readers (safetensors, zip central directory, pickle members, GGUF, ONNX) run unchanged and a
 * multi-GB checkpoint costs only the blocks they touch. Reads larger than the cache are fetched
 * without caching their middle.
 */
export class RemoteByteSource implements ByteSource {
  private readonly blockSize: number;
  private readonly maxBlocks: number;
  private readonly maxRequestBytes: number;
  private readonly limiter: ConcurrencyLimiter;
  readonly meter: TransferMeter;
  /** Map order is recency order: the first key is the least recently used block. */
  private readonly blocks = new Map<number, Uint8Array>();
  private handedOut = 0;

  constructor(
    readonly size: number,
    private readonly fetchRange: RangeFetcher,
    options: RemoteByteSourceOptions = {},
  ) {
    this.blockSize = options.blockSize ?? REMOTE_DEFAULTS.blockSize;
    this.maxBlocks = options.maxBlocks ?? REMOTE_DEFAULTS.maxBlocks;
    this.maxRequestBytes = Math.max(
      this.blockSize,
      options.maxRequestBytes ?? REMOTE_DEFAULTS.maxRequestBytes,
    );
    this.limiter =
      options.limiter ??
      new ConcurrencyLimiter(REMOTE_DEFAULTS.parallelRequests);
    this.meter = options.meter ?? new TransferMeter();
  }

  get bytesRead(): number {
    return this.handedOut;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const from = Math.max(0, Math.min(offset, this.size));
    const len = Math.max(0, Math.min(length, this.size - from));
    if (len === 0) return new Uint8Array(0);
    const firstBlock = Math.floor(from / this.blockSize);
    const lastBlock = Math.floor((from + len - 1) / this.blockSize);
    const blockCount = lastBlock - firstBlock + 1;
    const cacheable = blockCount <= this.maxBlocks / 2;

    const fetched = new Map<number, Uint8Array>();
    const missing: number[] = [];
    for (let index = firstBlock; index <= lastBlock; index++) {
      const hit = this.blocks.get(index);
      if (hit) {
        fetched.set(index, hit);
        this.touch(index, hit);
      } else missing.push(index);
    }
    await this.fetchBlocks(missing, fetched);

    const out = new Uint8Array(len);
    for (let index = firstBlock; index <= lastBlock; index++) {
      const block = fetched.get(index)!;
      const blockStart = index * this.blockSize;
      const start = Math.max(from, blockStart);
      const end = Math.min(from + len, blockStart + block.length);
      out.set(
        block.subarray(start - blockStart, end - blockStart),
        start - from,
      );
      // A huge read (a 200 MB pickle) would flush the cache; keep only its edges, which neighbours share.
      if (cacheable || index === firstBlock || index === lastBlock)
        this.touch(index, block);
    }
    this.handedOut += len;
    return out;
  }

  /**
   * Fetches the blocks of every range not yet cached, all at once: runs of consecutive blocks in
   * parallel under the shared limiter. At most half the cache is filled this way, so a hint cannot
   * evict what it was meant to keep.
   */
  async prefetch(ranges: readonly ByteRange[]): Promise<void> {
    const budget = Math.floor(this.maxBlocks / 2);
    const wanted = new Set<number>();
    for (const { offset, length } of ranges) {
      const from = Math.max(0, Math.min(offset, this.size));
      const len = Math.max(0, Math.min(length, this.size - from));
      if (len === 0) continue;
      const last = Math.floor((from + len - 1) / this.blockSize);
      for (
        let index = Math.floor(from / this.blockSize);
        index <= last && wanted.size < budget;
        index++
      )
        if (!this.blocks.has(index)) wanted.add(index);
    }
    const fetched = new Map<number, Uint8Array>();
    await this.fetchBlocks(
      [...wanted].sort((a, b) => a - b),
      fetched,
    );
    for (const [index, block] of fetched) this.touch(index, block);
  }

  /** Fetches missing blocks as runs of consecutive blocks, each run split at maxRequestBytes. */
  private async fetchBlocks(
    missing: number[],
    into: Map<number, Uint8Array>,
  ): Promise<void> {
    const perRequest = Math.max(
      1,
      Math.floor(this.maxRequestBytes / this.blockSize),
    );
    const runs: [number, number][] = [];
    for (const index of missing) {
      const last = runs[runs.length - 1];
      if (last && last[1] === index - 1 && last[1] - last[0] + 1 < perRequest)
        last[1] = index;
      else runs.push([index, index]);
    }
    await Promise.all(
      runs.map(([first, last]) =>
        this.limiter.run(async () => {
          const start = first * this.blockSize;
          const end = Math.min(this.size, (last + 1) * this.blockSize);
          const bytes = await this.fetchRange(start, end - start);
          this.meter.requests++;
          this.meter.bytes += bytes.length;
          if (bytes.length !== end - start) {
            throw new RemoteReadError(
              `asked for ${end - start} bytes at offset ${start}, got ${
                bytes.length
              }`,
            );
          }
          for (let index = first; index <= last; index++) {
            const blockStart = index * this.blockSize - start;
            into.set(
              index,
              bytes.subarray(
                blockStart,
                Math.min(bytes.length, blockStart + this.blockSize),
              ),
            );
          }
        }),
      ),
    );
  }

  private touch(index: number, block: Uint8Array): void {
    this.blocks.delete(index);
    this.blocks.set(index, block);
    while (this.blocks.size > this.maxBlocks) {
      this.blocks.delete(this.blocks.keys().next().value as number);
    }
  }
}
