import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Random-access bytes. Readers ask only for the ranges they need (headers, central directories,
 * pickle streams) so a multi-GB checkpoint costs kilobytes. Every source counts what it read, which
 * the benchmarks report.
 *
 * @public
 */
export interface ByteSource {
  readonly size: number;
  /** Returns up to `length` bytes from `offset`; fewer only at end of data. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Bytes handed out so far (a measure of I/O, shared by slices of one file). */
  readonly bytesRead: number;
  /**
   * Optional synchronous read, same contract as `read` (a fresh buffer each call). Sources on local
   * disk or in memory offer it so that a parser that runs synchronously (the pickle walker) can read a
   * large input window by window instead of holding it whole; remote sources leave it out.
   */
  readSync?(offset: number, length: number): Uint8Array;
  /**
   * Optional synchronous read into the caller's buffer: up to `target.length` bytes from `offset`,
   * returning how many were read (fewer only at end of data). Lets a windowed parser reuse one buffer
   * instead of allocating a fresh one per window (peak memory stays at one window).
   */
  readSyncInto?(target: Uint8Array, offset: number): number;
  /**
   * Optional hint that these ranges will be read soon. A remote source fetches what it does not hold
   * in parallel (within its concurrency cap), so a reader that knows its next reads up front (the
   * zip reader: every local header, then the small members) pays a few round trips instead of one
   * per range. Local sources leave it out. Rejects as `read` would when a range cannot be fetched.
   */
  prefetch?(ranges: readonly ByteRange[]): Promise<void>;
}

/** @public */
export interface ByteRange {
  offset: number;
  length: number;
}

/** Reads the whole source; callers must check `size` against a limit first. */
export async function readAll(source: ByteSource): Promise<Uint8Array> {
  return source.read(0, source.size);
}

/**
 * How many bytes were read through the sources sharing it (a slice counts into its parent's).
 *
 * @public
 */
export class ReadCounter {
  count = 0;
}

/**
 * A byte source over bytes already in memory.
 *
 * @public
 */
export class BufferSource implements ByteSource {
  private readonly counter: ReadCounter;
  constructor(private readonly bytes: Uint8Array, counter?: ReadCounter) {
    this.counter = counter ?? new ReadCounter();
  }
  get size(): number {
    return this.bytes.length;
  }
  get bytesRead(): number {
    return this.counter.count;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.readSync(offset, length);
  }
  readSync(offset: number, length: number): Uint8Array {
    const start = Math.max(0, Math.min(offset, this.bytes.length));
    const end = Math.max(
      start,
      Math.min(start + Math.max(0, length), this.bytes.length),
    );
    this.counter.count += end - start;
    return this.bytes.subarray(start, end);
  }
}

/**
 * A window onto another source: a stored (uncompressed) archive member, without copying it.
 *
 * @public
 */
export class SliceSource implements ByteSource {
  constructor(
    private readonly parent: ByteSource,
    private readonly start: number,
    readonly size: number,
  ) {}
  get bytesRead(): number {
    return this.parent.bytesRead;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const from = Math.max(0, Math.min(offset, this.size));
    const len = Math.max(0, Math.min(length, this.size - from));
    return this.parent.read(this.start + from, len);
  }

  get prefetch():
    | ((ranges: readonly ByteRange[]) => Promise<void>)
    | undefined {
    const parentPrefetch = this.parent.prefetch?.bind(this.parent);
    if (!parentPrefetch) return undefined;
    return ranges =>
      parentPrefetch(
        ranges.map(({ offset, length }) => {
          const from = Math.max(0, Math.min(offset, this.size));
          const len = Math.max(0, Math.min(length, this.size - from));
          return { offset: this.start + from, length: len };
        }),
      );
  }

  get readSync(): ((offset: number, length: number) => Uint8Array) | undefined {
    const parentRead = this.parent.readSync?.bind(this.parent);
    if (!parentRead) return undefined;
    return (offset, length) => {
      const from = Math.max(0, Math.min(offset, this.size));
      const len = Math.max(0, Math.min(length, this.size - from));
      return parentRead(this.start + from, len);
    };
  }

  get readSyncInto():
    | ((target: Uint8Array, offset: number) => number)
    | undefined {
    const parentInto = this.parent.readSyncInto?.bind(this.parent);
    if (!parentInto) return undefined;
    return (target, offset) => {
      const from = Math.max(0, Math.min(offset, this.size));
      const len = Math.max(0, Math.min(target.length, this.size - from));
      return parentInto(target.subarray(0, len), this.start + from);
    };
  }
}

/**
 * A byte source over a file on disk, read by ranges.
 *
 * @public
 */
export class FileSource implements ByteSource {
  private readCount = 0;
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileSource> {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      return new FileSource(handle, stat.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Wraps a handle already opened (and checked) by the caller, who knows its size. */
  static fromHandle(handle: FileHandle, size: number): FileSource {
    return new FileSource(handle, size);
  }

  get bytesRead(): number {
    return this.readCount;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const from = Math.max(0, Math.min(offset, this.size));
    const len = Math.max(0, Math.min(length, this.size - from));
    const buffer = Buffer.allocUnsafe(len);
    let filled = 0;
    while (filled < len) {
      const { bytesRead } = await this.handle.read(
        buffer,
        filled,
        len - filled,
        from + filled,
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    this.readCount += filled;
    return filled === len ? buffer : buffer.subarray(0, filled);
  }

  readSync(offset: number, length: number): Uint8Array {
    const from = Math.max(0, Math.min(offset, this.size));
    const len = Math.max(0, Math.min(length, this.size - from));
    const buffer = Buffer.allocUnsafe(len);
    const filled = this.readSyncInto(buffer, from);
    return filled === len ? buffer : buffer.subarray(0, filled);
  }

  readSyncInto(target: Uint8Array, offset: number): number {
    const from = Math.max(0, Math.min(offset, this.size));
    const len = Math.max(0, Math.min(target.length, this.size - from));
    let filled = 0;
    while (filled < len) {
      const bytesRead = readSync(
        this.handle.fd,
        target,
        filled,
        len - filled,
        from + filled,
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    this.readCount += filled;
    return filled;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
