import type { ByteSource } from '../../../io/ByteSource';

/**
 * Small-read access to a ByteSource through one cached page, so walking a header field by field
 * costs a few large reads instead of thousands of tiny ones, and skipping a tensor payload costs
 * nothing. Reads past the end return what exists.
 */
export class BufferedSource {
  private pageStart = 0;
  private page: Uint8Array = new Uint8Array(0);
  /** Bytes fetched from the underlying source through this reader. */
  fetched = 0;

  constructor(
    readonly source: ByteSource,
    private readonly pageSize = 64 * 1024,
  ) {}

  get size(): number {
    return this.source.size;
  }

  /** The bytes if the cached page already holds them, without a round trip through a promise. */
  cached(offset: number, length: number): Uint8Array | undefined {
    const end = offset + length;
    if (offset >= this.pageStart && end <= this.pageStart + this.page.length) {
      return this.page.subarray(offset - this.pageStart, end - this.pageStart);
    }
    return undefined;
  }

  async bytes(offset: number, length: number): Promise<Uint8Array> {
    if (length <= 0 || offset >= this.source.size) return new Uint8Array(0);
    const end = Math.min(offset + length, this.source.size);
    if (offset >= this.pageStart && end <= this.pageStart + this.page.length) {
      return this.page.subarray(offset - this.pageStart, end - this.pageStart);
    }
    if (end - offset > this.pageSize) {
      this.fetched += end - offset;
      return this.source.read(offset, end - offset);
    }
    this.pageStart = offset;
    this.page = await this.source.read(offset, this.pageSize);
    this.fetched += this.page.length;
    return this.page.subarray(0, end - offset);
  }
}
