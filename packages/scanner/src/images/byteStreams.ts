/**
 * Async byte streams with the image limits applied as the bytes flow: a length bound that stops
 * reading at the first byte past it, a sha256 check that fails the stream at its end, and a reader
 * that hands out exact-sized pieces (tar headers) or bounded runs (member data) without buffering
 * more than one input chunk.
 */
import { createHash } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';
import { ImageReadError } from './limits';

export type ByteStream = AsyncIterable<Uint8Array>;

/** The stream ended before a piece the caller asked for: a truncated tar, not a limit. */
export class StreamEnded extends Error {}

/** Yields `source` but throws an ImageReadError as soon as more than `limit` bytes have passed. */
export async function* bounded(
  source: ByteStream,
  limit: number,
  what: string,
): ByteStream {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > limit)
      throw new ImageReadError(`${what} is larger than the limit (${limit})`);
    yield chunk;
  }
}

const DIGEST = /^sha256:([a-f0-9]{64})$/;

/** Yields `source` and, once it ends, throws unless its sha256 is `digest`. */
export async function* verified(
  source: ByteStream,
  digest: string,
): ByteStream {
  const match = DIGEST.exec(digest);
  if (!match)
    throw new ImageReadError(
      `unsupported or malformed digest ${JSON.stringify(digest).slice(0, 80)}`,
    );
  const hash = createHash('sha256');
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
  const actual = hash.digest('hex');
  if (actual !== match[1])
    throw new ImageReadError(
      `blob ${digest} does not match its content (sha256:${actual})`,
    );
}

export async function sha256Of(source: ByteStream): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}

/** Pull-based reads over a byte stream; `position` counts bytes consumed. */
export class ChunkReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pending: Buffer = Buffer.alloc(0);
  position = 0;

  constructor(source: ByteStream) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    const next = await this.iterator.next();
    if (next.done) return false;
    const chunk = Buffer.from(
      next.value.buffer,
      next.value.byteOffset,
      next.value.length,
    );
    this.pending =
      this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    return true;
  }

  /** Exactly `n` bytes (copied), or undefined when the stream ends first. Keep `n` small. */
  async read(n: number): Promise<Buffer | undefined> {
    while (this.pending.length < n) if (!(await this.fill())) return undefined;
    const out = Buffer.from(this.pending.subarray(0, n));
    this.pending = this.pending.subarray(n);
    this.position += n;
    return out;
  }

  /** The next `n` bytes, piece by piece as they arrive; throws when the stream ends first. */
  async *run(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.pending.length === 0 && !(await this.fill()))
        throw new StreamEnded('the stream ended inside a tar entry');
      const piece = this.pending.subarray(
        0,
        Math.min(left, this.pending.length),
      );
      this.pending = this.pending.subarray(piece.length);
      this.position += piece.length;
      left -= piece.length;
      yield piece;
    }
  }

  async skip(n: number): Promise<boolean> {
    try {
      for await (const _ of this.run(n)) {
        // discarded
      }
      return true;
    } catch (error) {
      if (error instanceof StreamEnded) return false;
      throw error;
    }
  }

  /** Reads to the end (so a verifying or bounding stage below sees every byte); returns the count. */
  async drain(): Promise<number> {
    let total = this.pending.length;
    this.pending = Buffer.alloc(0);
    for (;;) {
      const next = await this.iterator.next();
      if (next.done) return total;
      total += next.value.length;
    }
  }

  /** Stops the source early (closes files and sockets behind it). */
  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

/** Pipes `source` through a zlib transform, mapping its errors; the pipe is destroyed on early exit. */
export async function* transformed(
  source: ByteStream,
  transform: Transform,
  mapError: (error: unknown) => Error,
): ByteStream {
  const input = Readable.from(source, { objectMode: false });
  input.on('error', error => transform.destroy(error));
  input.pipe(transform);
  try {
    for await (const chunk of transform) yield chunk as Buffer;
  } catch (error) {
    throw mapError(error);
  } finally {
    input.destroy();
    transform.destroy();
  }
}

/**
 * Gathers small chunks (an HTTP body arrives in pieces of a few KiB) into runs of at least `size`
 * bytes, so every later stage of the layer pipeline runs once per run rather than once per piece.
 */
export async function* coalesced(source: ByteStream, size: number): ByteStream {
  let batch: Uint8Array[] = [];
  let batched = 0;
  for await (const chunk of source) {
    batch.push(chunk);
    batched += chunk.length;
    if (batched >= size) {
      yield batch.length === 1 ? batch[0] : Buffer.concat(batch);
      batch = [];
      batched = 0;
    }
  }
  if (batched > 0) yield batch.length === 1 ? batch[0] : Buffer.concat(batch);
}
