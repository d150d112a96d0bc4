/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*", "fc.assert"] }] */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PickleWriter } from '../pickle/testing/pickleWriter';
import {
  scanWithPickleReaders,
  summarise,
} from '../pickle/testing/scanForTest';
import { descrHasObjects, parseNpyHeader } from './npyHeader';
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
        expect.stringMatching(/^high NUMPY-OBJECT-ARRAY/),
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
