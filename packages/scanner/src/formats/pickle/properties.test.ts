/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*", "fc.assert"] }] */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import type { ScanResult } from '../../model/finding';
import { parseNpyHeader } from '../numpy/npyHeader';
import { walkPickleStreams } from './streams';
import { PickleWriter, concatBytes } from './testing/pickleWriter';
import { REFERENCE_PICKLES } from './testing/referencePickles';
import { scanWithPickleReaders } from './testing/scanForTest';
import { createBudget, type WalkEvents } from './walker';

const fixturesDir = join(__dirname, '__fixtures__');
const seeds: Uint8Array[] = [
  ...REFERENCE_PICKLES.map(ref => new Uint8Array(Buffer.from(ref.hex, 'hex'))),
  ...['benign', 'malicious'].flatMap(dir =>
    readdirSync(join(fixturesDir, dir)).map(
      file => new Uint8Array(readFileSync(join(fixturesDir, dir, file))),
    ),
  ),
  new Uint8Array(
    readFileSync(
      join(__dirname, '..', 'joblib', '__fixtures__', 'sk_pipeline.joblib'),
    ),
  ),
  new Uint8Array(
    readFileSync(
      join(__dirname, '..', 'numpy', '__fixtures__', 'object_array.npy'),
    ),
  ),
];

type Mutation = {
  kind: 'flip' | 'insert' | 'delete' | 'truncate';
  at: number;
  byte: number;
};

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>(
    'flip',
    'insert',
    'delete',
    'truncate',
  ),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
});

function mutate(seed: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = Array.from(seed);
  for (const { kind, at, byte } of mutations) {
    if (bytes.length === 0) break;
    const i = at % bytes.length;
    if (kind === 'flip') bytes[i] = byte;
    else if (kind === 'insert') bytes.splice(i, 0, byte);
    else if (kind === 'delete') bytes.splice(i, 1);
    else bytes = bytes.slice(0, i);
  }
  return Uint8Array.from(bytes);
}

/** An exception that escaped a reader: the engine turns it into a SCAN-ERROR "<reader> could not analyse this input". */
function escapedErrors(result: ScanResult) {
  return result.findings.filter(
    f =>
      f.ruleId === 'SCAN-ERROR' &&
      f.message.includes('could not analyse this input'),
  );
}

const silentEvents: WalkEvents = {
  onGlobal: () => undefined,
  onCall: () => undefined,
  onBuild: () => undefined,
  onAnomaly: () => undefined,
};

describe('pickle-family readers under arbitrary input', () => {
  it('never throw on arbitrary bytes, under any name', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.constantFrom('x.pkl', 'x.bin', 'x.npy', 'x.joblib', 'data'),
        async (bytes, name) => {
          const result = await scanWithPickleReaders(bytes, name);
          expect(escapedErrors(result)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throw on mutated real pickles, npy and joblib files, and finish quickly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(mutation, { minLength: 1, maxLength: 8 }),
        async (seed, mutations) => {
          const bytes = mutate(seed, mutations);
          const started = Date.now();
          const result = await scanWithPickleReaders(bytes, 'mutated.pkl');
          expect(Date.now() - started).toBeLessThan(2000);
          expect(escapedErrors(result)).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('walker stays within its op budget on any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), bytes => {
        const budget = createBudget(2000, () => undefined);
        walkPickleStreams(bytes, silentEvents, budget);
        expect(budget.opsUsed).toBeLessThanOrEqual(2001);
      }),
      { numRuns: 500 },
    );
  });

  it('a payload stream is found whatever benign streams precede it and whatever junk follows it', async () => {
    const payload = PickleWriter.create()
      .proto(4)
      .call('os', 'system', 'id')
      .stop()
      .bytes();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...seeds.slice(0, REFERENCE_PICKLES.length)), {
          maxLength: 3,
        }),
        fc.uint8Array({ maxLength: 200 }),
        async (before, junk) => {
          const result = await scanWithPickleReaders(
            concatBytes(...before, payload, junk),
            'x.bin',
          );
          expect(
            result.findings.some(
              f =>
                f.ruleId === 'PICKLE-EXEC' && f.evidence.symbol === 'os.system',
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('npy header parsing never throws on arbitrary header text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.constantFrom(1, 2, 3),
        (header, version) => {
          const body = Buffer.from(header, 'utf8');
          const preamble =
            version === 1
              ? [body.length & 0xff, body.length >> 8]
              : [body.length & 0xff, (body.length >> 8) & 0xff, 0, 0];
          const bytes = Uint8Array.from([
            0x93,
            ...Buffer.from('NUMPY'),
            version,
            0,
            ...preamble,
            ...body,
          ]);
          parseNpyHeader(bytes, 10_000);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('compressed joblib readers never throw on corrupt streams', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 500 }),
        fc.array(mutation, { maxLength: 4 }),
        async (bytes, mutations) => {
          const result = await scanWithPickleReaders(
            mutate(deflateSync(bytes), mutations),
            'x.joblib',
          );
          expect(escapedErrors(result)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
