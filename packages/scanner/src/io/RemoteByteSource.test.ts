import {
  ConcurrencyLimiter,
  RemoteByteSource,
  RemoteReadError,
  TransferMeter,
} from './RemoteByteSource';

function recordingFetcher(
  content: Uint8Array,
  options: { short?: boolean; delayMs?: number } = {},
) {
  const calls: [number, number][] = [];
  let active = 0;
  let peak = 0;
  const fetch = async (offset: number, length: number) => {
    calls.push([offset, length]);
    active++;
    peak = Math.max(peak, active);
    await new Promise(resolve => setTimeout(resolve, options.delayMs ?? 0));
    active--;
    const bytes = content.subarray(offset, offset + length);
    return options.short
      ? bytes.subarray(0, Math.max(0, bytes.length - 1))
      : bytes;
  };
  return { fetch, calls, peak: () => peak };
}

const content = Uint8Array.from(
  { length: 1024 * 1024 },
  (_, i) => (i * 7) & 0xff,
);

describe('RemoteByteSource', () => {
  it('returns the bytes asked for and serves repeated reads from its block cache', async () => {
    const fetcher = recordingFetcher(content);
    const meter = new TransferMeter();
    const source = new RemoteByteSource(content.length, fetcher.fetch, {
      blockSize: 4096,
      meter,
    });
    expect(await source.read(5000, 100)).toEqual(content.subarray(5000, 5100));
    expect(await source.read(5050, 20)).toEqual(content.subarray(5050, 5070));
    expect(fetcher.calls).toEqual([[4096, 4096]]);
    expect(meter.bytes).toBe(4096);
    expect(source.bytesRead).toBe(120);
  });

  it('clips reads at the end and fetches a run of missing blocks in one request', async () => {
    const fetcher = recordingFetcher(content);
    const source = new RemoteByteSource(content.length, fetcher.fetch, {
      blockSize: 4096,
    });
    const tail = await source.read(content.length - 10_000, 50_000);
    expect(
      Buffer.from(tail).equals(content.subarray(content.length - 10_000)),
    ).toBe(true);
    expect(fetcher.calls).toEqual([[content.length - 12_288, 12_288]]);
  });

  it('splits large reads into bounded requests and never runs more than the limiter allows', async () => {
    const fetcher = recordingFetcher(content, { delayMs: 5 });
    const source = new RemoteByteSource(content.length, fetcher.fetch, {
      blockSize: 4096,
      maxRequestBytes: 64 * 1024,
      limiter: new ConcurrencyLimiter(3),
    });
    expect(
      Buffer.from(await source.read(0, content.length)).equals(content),
    ).toBe(true);
    expect(fetcher.calls).toHaveLength(16);
    expect(fetcher.peak()).toBe(3);
  });

  it('evicts the least recently used block past its capacity', async () => {
    const fetcher = recordingFetcher(content);
    const source = new RemoteByteSource(content.length, fetcher.fetch, {
      blockSize: 4096,
      maxBlocks: 2,
    });
    await source.read(0, 1); // block 0
    await source.read(4096, 1); // block 1
    await source.read(0, 1); // touch 0
    await source.read(8192, 1); // block 2 evicts 1
    await source.read(0, 1); // still cached
    await source.read(4096, 1); // fetched again
    expect(fetcher.calls.map(([offset]) => offset)).toEqual([
      0, 4096, 8192, 4096,
    ]);
  });

  it('treats a short answer as an incomplete read, not as zeros', async () => {
    const source = new RemoteByteSource(
      content.length,
      recordingFetcher(content, { short: true }).fetch,
    );
    await expect(source.read(0, 10)).rejects.toBeInstanceOf(RemoteReadError);
  });
});
