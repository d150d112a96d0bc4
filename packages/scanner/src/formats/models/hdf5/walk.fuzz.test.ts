import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferSource } from '../../../io/ByteSource';
import {
  assertReaderIsRobust,
  mutatedBytes,
} from '../common/__testUtils__/fuzzReader';
import { kerasH5Reader } from '../keras/h5Reader';
import { DEFAULT_HDF5_LIMITS } from './hdf5File';
import { walkHdf5 } from './walk';

const samples = [
  'benign_keras2.h5',
  'benign_latest.h5',
  'dense_links_latest.h5',
  'weights_only.h5',
].map(name => readFileSync(join(__dirname, '__fixtures__', name)));

/** Mutations aimed at the metadata: h5py writes headers, heaps and B-trees in the first few KiB. */
function metadataMutations(sample: Uint8Array) {
  return fc
    .array(
      fc.tuple(
        fc.integer({ min: 0, max: Math.min(sample.length, 6144) - 1 }),
        fc.integer({ min: 0, max: 255 }),
      ),
      {
        minLength: 1,
        maxLength: 6,
      },
    )
    .map(flips => {
      const out = Buffer.from(sample);
      for (const [at, value] of flips) out[at] = value;
      return new Uint8Array(out);
    });
}

describe('walkHdf5 on hostile bytes', () => {
  it('never throws, stays within its metadata budget and finishes quickly', async () => {
    const limits = {
      ...DEFAULT_HDF5_LIMITS,
      maxMetadataBytes: 2 * 1024 * 1024,
      checkDeadline: () => {},
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          ...samples.map(metadataMutations),
          ...samples.map(mutatedBytes),
        ),
        async bytes => {
          const source = new BufferSource(bytes);
          const started = Date.now();
          const result = await walkHdf5(source, limits);
          expect(result.metadataBytes).toBeLessThanOrEqual(
            limits.maxMetadataBytes + 64 * 1024,
          );
          expect(source.bytesRead).toBeLessThanOrEqual(
            limits.maxMetadataBytes + 128 * 1024,
          );
          return Date.now() - started < 2000;
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the reader never throws out of read on arbitrary or mutated input', async () => {
    await expect(
      assertReaderIsRobust(kerasH5Reader, 'model.h5', samples, 200),
    ).resolves.toBeUndefined();
  });
});
