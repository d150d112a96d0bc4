import { tmpdir } from 'node:os';
import { createScanner } from '../../../createScanner';
import {
  ConcurrencyLimiter,
  RemoteByteSource,
  TransferMeter,
} from '../../../io/RemoteByteSource';
import {
  sparseTorchZip,
  torchStateDictPickle,
  type VirtualObject,
} from '../../../test-support/remote';

/** A remote archive whose fetches take a few milliseconds and are watched for overlap. */
function remote(object: VirtualObject, parallel: number) {
  let active = 0;
  let peak = 0;
  let requests = 0;
  const source = new RemoteByteSource(
    object.size,
    async (offset, length) => {
      requests++;
      active++;
      peak = Math.max(peak, active);
      await new Promise(resolve => setTimeout(resolve, 3));
      active--;
      return object.read(offset, length);
    },
    { limiter: new ConcurrencyLimiter(parallel), meter: new TransferMeter() },
  );
  return { source, peak: () => peak, requests: () => requests };
}

async function scan(source: RemoteByteSource) {
  return createScanner().scanEntries(
    'remote',
    [{ path: 'model.pt', open: async () => source }],
    { analyzerRoot: tmpdir(), analyzerFiles: [] },
  );
}

describe('zip reads over a remote source', () => {
  const checkpoint = sparseTorchZip(
    torchStateDictPickle(120, 1000, 'id'),
    512 * 1024 * 1024,
    120,
  );

  it('fetches the local headers of a 120-storage checkpoint in parallel, within the cap, and still finds the payload', async () => {
    const archive = remote(checkpoint, 6);
    const result = await scan(archive.source);
    expect(
      result.findings.some(
        f => f.severity === 'critical' && f.message.includes('os.system'),
      ),
    ).toBe(true);
    // Without the hint every header is its own sequential request: never more than one in flight.
    expect(archive.peak()).toBe(6);
    expect(archive.source.meter.bytes).toBeLessThan(512 * 1000);
  });

  it('costs the same requests and bytes with or without parallelism (the hint adds no transfer)', async () => {
    const serial = remote(checkpoint, 1);
    const parallel = remote(checkpoint, 8);
    await scan(serial.source);
    await scan(parallel.source);
    expect(serial.peak()).toBe(1);
    expect(parallel.source.meter.bytes).toBe(serial.source.meter.bytes);
    expect(parallel.requests()).toBe(serial.requests());
  });
});
