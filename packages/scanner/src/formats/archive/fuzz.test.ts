import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { buildZip } from './testing/zipWriter';
import { buildTar } from './testing/tarWriter';
import { scanArchive } from './testing/scanHelpers';

/**
 * Whatever the bytes, the archive readers end in bounded time with evidence, never an exception
 * (which the engine would turn into SCAN-ERROR) and never an allocation sized by a lying field.
 */
const SEEDS: Record<string, Uint8Array> = {
  zip: buildZip({
    entries: [
      {
        name: 'archive/data.pkl',
        data: '\x80\x02}q\x00.',
        dataDescriptor: true,
      },
      { name: 'archive/data/0', data: 'x'.repeat(300) },
      { name: 'archive/extra.pkl', data: 'y'.repeat(300), method: 'deflate' },
      { name: 'archive/version', data: '3' },
    ],
  }),
  zip64: buildZip({
    entries: [
      { name: 'a.npy', data: 'abc' },
      { name: 'b.npy', data: 'def', method: 'deflate' },
    ],
    zip64: true,
  }),
  tar: buildTar([
    { name: 'pickle', data: 'p'.repeat(600) },
    { name: 'x', type: 'x', data: '20 path=renamed.pkl\n' },
    { name: 'y', data: 'y' },
  ]),
  gzip: gzipSync(Buffer.from('content '.repeat(100))),
};

const mutation = fc.record({
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
    maxLength: 12,
  }),
  cut: fc.option(fc.nat()),
  // Overwrite a 4- or 8-byte field with an extreme value: the classic lying length.
  extreme: fc.option(
    fc.tuple(fc.nat(), fc.constantFrom(0xffffffff, 0x7fffffff, 0, 0x80000000)),
  ),
});

function mutate(
  seed: Uint8Array,
  m: {
    flips: [number, number][];
    cut: number | null;
    extreme: [number, number] | null;
  },
): Uint8Array {
  const bytes = Buffer.from(seed);
  for (const [at, value] of m.flips) bytes[at % bytes.length] = value;
  if (m.extreme)
    bytes.writeUInt32LE(
      m.extreme[1] >>> 0,
      Math.min(m.extreme[0] % bytes.length, bytes.length - 4),
    );
  return m.cut === null ? bytes : bytes.subarray(0, m.cut % (bytes.length + 1));
}

async function expectGraceful(bytes: Uint8Array, name: string): Promise<void> {
  const started = Date.now();
  const scan = await scanArchive(bytes, name, { fileTimeoutMs: 5000 });
  const errors = scan.result.findings.filter(
    finding => finding.ruleId === 'SCAN-ERROR',
  );
  expect(errors.map(error => error.message)).toEqual([]);
  expect(Date.now() - started).toBeLessThan(5000);
}

describe('archive readers under hostile bytes', () => {
  it.each(Object.keys(SEEDS))('survive mutations of a valid %s', async kind => {
    expect.hasAssertions();
    await fc.assert(
      fc.asyncProperty(mutation, async m =>
        expectGraceful(mutate(SEEDS[kind], m), `x.${kind}`),
      ),
      { numRuns: 150 },
    );
  });

  it('survive arbitrary bytes behind each container signature', async () => {
    expect.hasAssertions();
    const signatures = [
      [0x50, 0x4b, 0x03, 0x04],
      [0x50, 0x4b, 0x05, 0x06],
      [0x1f, 0x8b, 0x08],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...signatures),
        fc.uint8Array({ maxLength: 2048 }),
        async (signature, rest) =>
          expectGraceful(
            Buffer.concat([Buffer.from(signature), rest]),
            'x.bin',
          ),
      ),
      { numRuns: 200 },
    );
  });

  it('survive arbitrary tar-shaped blocks', async () => {
    expect.hasAssertions();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 512, maxLength: 2048 }),
        async block => {
          const bytes = Buffer.from(block);
          bytes.write('ustar\0', 257, 'latin1');
          await expectGraceful(bytes, 'x.tar');
        },
      ),
      { numRuns: 200 },
    );
  });
});
