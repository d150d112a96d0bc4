import { SliceSource } from './ByteSource';
import { ConcurrencyLimiter, RemoteByteSource } from './RemoteByteSource';

const content = Uint8Array.from({ length: 256 * 1024 }, (_, i) => i % 251);

function source(maxBlocks = 1024) {
  const calls: [number, number][] = [];
  const remote = new RemoteByteSource(
    content.length,
    async (offset, length) => {
      calls.push([offset, length]);
      return content.subarray(offset, offset + length);
    },
    { blockSize: 1024, maxBlocks, limiter: new ConcurrencyLimiter(4) },
  );
  return { remote, calls };
}

describe('RemoteByteSource.prefetch', () => {
  it('fetches scattered ranges once, so the reads that follow cost no request', async () => {
    const { remote, calls } = source();
    const ranges = [0, 10_000, 50_000, 51_000, 200_000].map(offset => ({
      offset,
      length: 100,
    }));
    await remote.prefetch(ranges);
    // 50,000 and 51,000 fall in neighbouring blocks: one request for the two.
    expect(calls).toHaveLength(4);
    for (const { offset, length } of ranges)
      expect(await remote.read(offset, length)).toEqual(
        content.subarray(offset, offset + length),
      );
    expect(calls).toHaveLength(4);
    await remote.prefetch(ranges);
    expect(calls).toHaveLength(4);
  });

  it('fills at most half the cache, and slices translate their ranges', async () => {
    const { remote, calls } = source(8);
    await remote.prefetch([{ offset: 0, length: 64 * 1024 }]);
    expect(calls.reduce((sum, [, length]) => sum + length, 0)).toBe(4 * 1024);
    const slice = new SliceSource(remote, 100_000, 1000);
    calls.length = 0;
    await slice.prefetch!([{ offset: 10, length: 5000 }]);
    // Bytes 100,010–100,999 of the parent (the slice clips the length): blocks 97 and 98.
    expect(calls).toEqual([[97 * 1024, 2 * 1024]]);
  });
});
