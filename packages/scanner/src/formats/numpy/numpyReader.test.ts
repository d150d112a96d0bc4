/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*", "fc.assert"] }] */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { PickleWriter } from '../pickle/testing/pickleWriter';
import {
  scanWithPickleReaders,
  summarise,
} from '../pickle/testing/scanForTest';
import { BufferSource, type ByteSource } from '../../io/ByteSource';
import type { Signal } from '../../model/evidence';
import { DEFAULT_LIMITS } from '../../model/limits';
import { descrItemSize } from './dtypeSize';
import { descrHasObjects, parseNpyHeader } from './npyHeader';
import { numpyReader } from './numpyReader';
import { parsePyLiteral } from './pyLiteral';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '__fixtures__', name));

function npy(header: string, body: Uint8Array, version = 1): Uint8Array {
  const preamble = version === 1 ? 10 : 12;
  let text = header;
  while ((preamble + text.length + 1) % 64 !== 0) text += ' ';
  text += '\n';
  const length =
    version === 1
      ? [text.length & 0xff, text.length >> 8]
      : [text.length & 0xff, (text.length >> 8) & 0xff, 0, 0];
  return Uint8Array.from([
    ...Buffer.from('\x93NUMPY', 'latin1'),
    version,
    0,
    ...length,
    ...Buffer.from(text, 'latin1'),
    ...body,
  ]);
}

describe('numpy .npy', () => {
  it('passes numeric arrays without findings', async () => {
    for (const name of ['embeddings.npy', 'weights.npz-member.npy']) {
      const result = await scanWithPickleReaders(fixture(name), name);
      expect(result.findings).toEqual([]);
      expect(result.files[0].formats).toEqual(['numpy']);
    }
  });

  it('flags object arrays and walks the pickle they carry', async () => {
    const result = await scanWithPickleReaders(
      fixture('object_array.npy'),
      'object_array.npy',
    );
    expect(summarise(result)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^low NUMPY-OBJECT-ARRAY/),
        expect.stringMatching(
          /^critical PICKLE-EXEC REDUCE calls os\.system\('true'\)/,
        ),
      ]),
    );
    const exec = result.findings.find(
      finding => finding.ruleId === 'PICKLE-EXEC',
    );
    expect(exec?.location.offset).toBeGreaterThan(128); // offsets are file offsets, past the header
  });

  it('finds objects inside structured dtypes, version 2 and 3 headers', async () => {
    const payload = PickleWriter.create()
      .proto(2)
      .call('builtins', 'eval', '1', 'GLOBAL')
      .stop()
      .bytes();
    for (const version of [2, 3]) {
      const bytes = npy(
        "{'descr': [('a', '<f4'), ('b', '|O')], 'fortran_order': False, 'shape': (1,), }",
        payload,
        version,
      );
      const result = await scanWithPickleReaders(bytes, 'x.npy');
      expect(result.findings.map(finding => finding.ruleId)).toEqual(
        expect.arrayContaining(['NUMPY-OBJECT-ARRAY', 'PICKLE-EXEC']),
      );
    }
  });

  it('reports headers it cannot parse instead of passing them', async () => {
    const result = await scanWithPickleReaders(
      npy("{'descr': __import__('os'), 'shape': ()}", new Uint8Array()),
      'evil.npy',
    );
    expect(result.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'SCAN-ERROR' }),
    );
  });

  describe('data after the declared array', () => {
    const header = (descr: string, shape: string) =>
      `{'descr': ${descr}, 'fortran_order': False, 'shape': ${shape}, }`;
    const payload = () =>
      PickleWriter.create().proto(2).call('os', 'system', 'id').stop().bytes();
    const trailing = (result: { findings: Array<{ ruleId: string }> }) =>
      result.findings.filter(
        finding => finding.ruleId === 'NUMPY-TRAILING-DATA',
      );

    it('reports a pickle appended after numeric data (medium), without walking it', async () => {
      const bytes = npy(
        header("'<f8'", '(2,)'),
        Uint8Array.from([...new Uint8Array(16), ...payload()]),
      );
      const result = await scanWithPickleReaders(bytes, 'vec.npy');
      expect(trailing(result)).toEqual([
        expect.objectContaining({
          severity: 'medium',
          evidence: expect.objectContaining({
            trailingBytes: payload().length,
            looksLikePickle: true,
          }),
        }),
      ]);
      expect(result.findings.map(finding => finding.ruleId)).not.toContain(
        'PICKLE-EXEC',
      );
    });

    it('reports other trailing bytes as low', async () => {
      const bytes = npy(
        header("'<i2'", '(3, 2)'),
        new Uint8Array(12 + 5).fill(0xff),
      );
      const result = await scanWithPickleReaders(bytes, 'grid.npy');
      expect(trailing(result)).toEqual([
        expect.objectContaining({
          severity: 'low',
          evidence: expect.objectContaining({
            trailingBytes: 5,
            looksLikePickle: false,
          }),
        }),
      ]);
    });

    it('sizes structured and scalar arrays exactly, so numpy.save output has no finding', async () => {
      const structured = npy(
        header("[('x', '<f4'), ('tag', '|S3', (2,)), ('', '|V2')]", '(2,)'),
        new Uint8Array(2 * (4 + 6 + 2)),
      );
      const scalar = npy(header("'<c16'", '()'), new Uint8Array(16));
      for (const bytes of [structured, scalar])
        expect((await scanWithPickleReaders(bytes, 'a.npy')).findings).toEqual(
          [],
        );
      expect(
        descrItemSize([
          ['a', '<U3'],
          ['b', [['c', '<i8']]],
        ]),
      ).toBe(20);
      expect(descrItemSize('weird')).toBeUndefined();
    });

    it('reads only the header and the tail of a large array', async () => {
      const declared = 50_000_000;
      const body = npy(header("'<f4'", `(${declared / 4},)`), new Uint8Array());
      const inner = new BufferSource(Uint8Array.from([...body, ...payload()]));
      const reads: Array<[number, number]> = [];
      // A source that claims the declared array sits in the middle: only the header and tail are backed.
      const source: ByteSource = {
        size: body.length + declared + payload().length,
        bytesRead: 0,
        read: async (offset, length) => {
          reads.push([offset, length]);
          if (offset >= body.length + declared)
            return inner.read(offset - declared, length);
          return inner.read(offset, Math.min(length, body.length - offset));
        },
      };
      const signals: Signal[] = [];
      await numpyReader.read(
        { source, name: 'big.npy', location: { path: 'big.npy' }, head: body },
        {
          emit: signal => signals.push(signal),
          addComponent: () => undefined,
          scanChild: async () => undefined,
          checkDeadline: () => undefined,
          setFormat: () => undefined,
          limits: DEFAULT_LIMITS,
          depth: 0,
          options: {},
        },
      );
      expect(signals.map(signal => signal.ruleId)).toEqual([
        'NUMPY-TRAILING-DATA',
      ]);
      expect(signals[0].evidence.looksLikePickle).toBe(true);
      expect(reads.every(([, length]) => length <= 4096)).toBe(true);
    });
  });

  describe('data shorter than the declared array', () => {
    const header = (descr: string, shape: string, fortran = 'False') =>
      `{'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
    const short = <F extends { ruleId: string }>(result: { findings: F[] }) =>
      result.findings.filter(finding => finding.ruleId === 'NUMPY-SHORT-DATA');

    it('reports declared against actual bytes, in C and Fortran order alike', async () => {
      for (const fortran of ['False', 'True']) {
        const bytes = npy(
          header("'<f4'", '(1000, 1000)', fortran),
          new Uint8Array(64),
        );
        const result = await scanWithPickleReaders(bytes, 'big.npy');
        expect(short(result)).toEqual([
          expect.objectContaining({
            severity: 'high',
            evidence: expect.objectContaining({
              shape: '1000x1000',
              declaredBytes: '4000000',
              actualBytes: 64,
              fortranOrder: fortran === 'True',
            }),
          }),
        ]);
      }
    });

    it('passes a Fortran-order array of the right size', async () => {
      const bytes = npy(header("'<i2'", '(3, 2)', 'True'), new Uint8Array(12));
      expect((await scanWithPickleReaders(bytes, 'f.npy')).findings).toEqual(
        [],
      );
    });

    it('keeps shape products past 2^64 exact instead of wrapping them', async () => {
      // 2^32 x 2^32 x 2 elements of 8 bytes: 2^68 bytes; wrapped to 64 bits it would be 0.
      const bytes = npy(
        header("'<f8'", '(4294967296, 4294967296, 2)'),
        new Uint8Array(8),
      );
      const [finding] = short(
        await scanWithPickleReaders(bytes, 'overflow.npy'),
      );
      expect(finding.evidence.declaredBytes).toBe((2n ** 68n).toString());
      const huge = npy(
        header("'|u1'", '(123456789012345678901234567890,)'),
        new Uint8Array(1),
      );
      const [exact] = short(await scanWithPickleReaders(huge, 'huge.npy'));
      expect(exact.evidence.declaredBytes).toBe(
        '123456789012345678901234567890',
      );
    });

    it('passes an empty array whatever its other dimensions', async () => {
      const bytes = npy(
        header("'<f8'", '(0, 123456789012345678901234567890)'),
        new Uint8Array(0),
      );
      expect(
        (await scanWithPickleReaders(bytes, 'empty.npy')).findings,
      ).toEqual([]);
    });

    it('refuses negative dimensions as unreadable headers', async () => {
      const bytes = npy(header("'<f8'", '(-1, 4)'), new Uint8Array(0));
      const result = await scanWithPickleReaders(bytes, 'neg.npy');
      expect(result.findings.map(f => f.ruleId)).toEqual(['SCAN-ERROR']);
    });

    it('leaves object arrays to the pickle walk: their data is a pickle, not shape x itemsize', async () => {
      const result = await scanWithPickleReaders(
        fixture('object_array.npy'),
        'object_array.npy',
      );
      expect(short(result)).toEqual([]);
    });
  });

  it('reports trailing data exactly when bytes follow the declared array, short data exactly when some are missing, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('<f4', '|u1', '<c8', '|b1', '<U2'),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.nat({ max: 8 }),
        async (descr, shape, extra, cut) => {
          const size =
            (descrItemSize(descr) ?? 0) *
            shape.reduce((product, dim) => product * dim, 1);
          const text = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(
            ', ',
          )}${shape.length === 1 ? ',' : ''}), }`;
          const missing = Math.min(cut, size);
          const body =
            missing > 0
              ? new Uint8Array(size - missing)
              : Uint8Array.from([...new Uint8Array(size), ...extra]);
          const result = await scanWithPickleReaders(npy(text, body), 'a.npy');
          let expected: string[] = [];
          if (missing > 0) expected = ['NUMPY-SHORT-DATA'];
          else if (extra.length > 0) expected = ['NUMPY-TRAILING-DATA'];
          expect(result.findings.map(finding => finding.ruleId)).toEqual(
            expected,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('parses header literals without evaluating them', () => {
    expect(
      parsePyLiteral(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (64, 64), }",
      ),
    ).toEqual({ descr: '<f4', fortran_order: false, shape: [64, 64] });
    expect(() => parsePyLiteral("{'a': open('x')}")).toThrow();
    expect(() => parsePyLiteral('('.repeat(100))).toThrow();
    expect(
      descrHasObjects([
        ['a', '<f4'],
        ['b', [['c', '|O']]],
      ]),
    ).toBe(true);
    expect(descrHasObjects('<U10')).toBe(false);
  });

  it('caps the header size', () => {
    const bytes = npy(
      `{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'pad': '${'x'.repeat(
        2000,
      )}'}`,
      new Uint8Array(),
    );
    expect(parseNpyHeader(bytes, 1000)).toMatchObject({
      ok: false,
      needBytes: expect.any(Number),
    });
  });
});
