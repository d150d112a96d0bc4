import fc from 'fast-check';
import { Scanner } from '../../engine/Scanner';
import { DEFAULT_READERS } from '../../engine/defaults';
import {
  maliciousPickle,
  writeAvro,
  writeParquet,
} from './__testUtils__/datasetFixtures';

/**
 * Whatever the bytes, the Parquet and Avro readers end in bounded time with evidence (DATA-MALFORMED
 * where they cannot go on), never an exception that the engine would turn into SCAN-ERROR.
 */
const mutation = fc.record({
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
    maxLength: 12,
  }),
  cut: fc.option(fc.nat()),
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

describe('columnar dataset readers under hostile bytes', () => {
  let seeds: Record<string, Uint8Array>;
  beforeAll(async () => {
    seeds = {
      parquet: await writeParquet([
        { name: 'id', data: [1, 2, 3], type: 'INT32' },
        { name: 'text', data: ['a', '<script>', 'c'], type: 'STRING' },
        {
          name: 'blob',
          data: [maliciousPickle(), new Uint8Array(9), new Uint8Array(0)],
          type: 'BYTE_ARRAY',
        },
      ]),
      avro: await writeAvro(
        {
          type: 'record',
          name: 'R',
          fields: [
            { name: 'id', type: 'long' },
            { name: 'tags', type: { type: 'array', items: 'string' } },
            { name: 'meta', type: { type: 'map', values: ['null', 'bytes'] } },
          ],
        },
        Array.from({ length: 30 }, (_, i) => ({
          id: i,
          tags: ['x', `t${i}`],
          meta: { k: null },
        })),
        'deflate',
        128,
      ),
    };
  });

  it.each(['parquet', 'avro'])(
    'survive mutations of a valid %s file',
    async kind => {
      expect.hasAssertions();
      const scanner = new Scanner({
        readers: [...DEFAULT_READERS],
        limits: { fileTimeoutMs: 5000 },
      });
      await fc.assert(
        fc.asyncProperty(mutation, async m => {
          const started = Date.now();
          const result = await scanner.scanBytes(
            mutate(seeds[kind], m),
            `x.${kind}`,
          );
          expect(
            result.findings
              .filter(f => f.ruleId === 'SCAN-ERROR')
              .map(f => f.message),
          ).toEqual([]);
          expect(Date.now() - started).toBeLessThan(5000);
        }),
        { numRuns: 200 },
      );
    },
    120_000,
  );
});
