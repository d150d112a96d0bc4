/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*", "fc.assert"] }] */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { PickleWriter } from '../pickle/testing/pickleWriter';
import {
  blocking,
  scanWithPickleReaders,
  summarise,
  symbolsOf,
} from '../pickle/testing/scanForTest';
import { compressionOf, inflatesToPickle } from './joblibReader';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '__fixtures__', name));

/** A joblib-style pickle: a NumpyArrayWrapper BUILD followed by raw array bytes, then `tail` opcodes. */
function joblibWithInlineArray(options: {
  alignment?: boolean;
  dtype?: string;
  shape?: number[];
  rawBytes?: Uint8Array;
  tail?: (w: PickleWriter) => void;
}) {
  const shape = options.shape ?? [4];
  const w = PickleWriter.create().proto(4).emptyList().mark();
  w.stackGlobal('joblib.numpy_pickle', 'NumpyArrayWrapper')
    .emptyTuple()
    .newobj();
  w.emptyDict().mark();
  w.shortUnicode('subclass').stackGlobal('numpy', 'ndarray');
  w.shortUnicode('shape');
  for (const dim of shape) w.int(dim);
  w.raw(shape.length === 1 ? 0x85 : 't');
  if (shape.length !== 1) throw new Error('test helper supports 1-d shapes');
  w.shortUnicode('order').shortUnicode('C');
  w.shortUnicode('dtype')
    .stackGlobal('numpy', 'dtype')
    .shortUnicode(options.dtype ?? 'f8')
    .raw(0x89, 0x88, 0x87)
    .reduce();
  if (options.alignment !== false)
    w.shortUnicode('numpy_array_alignment_bytes').int(16);
  w.setItems().build();
  if (options.alignment !== false) w.raw(3, 0xff, 0xff, 0xff);
  w.raw(options.rawBytes ?? new Uint8Array(32).fill(0x52)); // 0x52 is REDUCE: would confuse a naive walker
  options.tail?.(w);
  w.raw('e', '.');
  return w.bytes();
}

describe('joblib', () => {
  it('reads a real scikit-learn pipeline saved by joblib.dump, stepping over its inline arrays', async () => {
    const result = await scanWithPickleReaders(
      fixture('sk_pipeline.joblib'),
      'sk_pipeline.joblib',
    );
    expect(summarise(result).filter(line => !line.startsWith('info'))).toEqual(
      [],
    );
    expect(result.files[0].formats).toContain('joblib');
  });

  it('reads a real random forest saved with joblib under a .pkl name', async () => {
    const result = await scanWithPickleReaders(
      fixture('sk_forest.pkl'),
      'sk_forest.pkl',
    );
    expect(summarise(result).filter(line => !line.startsWith('info'))).toEqual(
      [],
    );
  });

  it('finds a payload placed after an inline NumPy buffer', async () => {
    const bytes = joblibWithInlineArray({
      tail: w => w.call('os', 'system', 'id').raw('a'),
    });
    const result = await scanWithPickleReaders(bytes, 'model.joblib');
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'PICKLE-EXEC',
        evidence: expect.objectContaining({ symbol: 'os.system' }),
      }),
    );
    expect(
      result.findings.filter(finding => finding.ruleId === 'PICKLE-STRUCT'),
    ).toEqual([]);
  });

  it('walks the nested pickle joblib writes for object arrays', async () => {
    const nested = PickleWriter.create()
      .proto(2)
      .call('os', 'system', 'id', 'GLOBAL')
      .stop()
      .bytes();
    const bytes = joblibWithInlineArray({
      dtype: 'O',
      alignment: false,
      rawBytes: nested,
      tail: w => w.none().raw('a'),
    });
    const result = await scanWithPickleReaders(bytes, 'model.joblib');
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'PICKLE-EXEC',
        evidence: expect.objectContaining({ symbol: 'os.system' }),
      }),
    );
  });

  it('reports an inline buffer whose length cannot be computed instead of guessing', async () => {
    const bytes = joblibWithInlineArray({ dtype: 'weird' });
    const result = await scanWithPickleReaders(bytes, 'model.joblib');
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'PICKLE-STRUCT',
        evidence: expect.objectContaining({ anomaly: 'inline-data' }),
      }),
    );
  });

  it.each([
    ['zlib', (data: Uint8Array) => deflateSync(data)],
    ['gzip', (data: Uint8Array) => gzipSync(data)],
  ])(
    'decompresses %s-compressed joblib files and walks the pickle inside',
    async (_kind, compress) => {
      const payload = PickleWriter.create()
        .proto(4)
        .call('os', 'system', 'id')
        .stop()
        .bytes();
      const result = await scanWithPickleReaders(
        compress(payload),
        'model.joblib',
      );
      expect(result.findings).toContainEqual(
        expect.objectContaining({
          ruleId: 'PICKLE-EXEC',
          evidence: expect.objectContaining({ symbol: 'os.system' }),
        }),
      );
      expect(result.files[0].formats).toContain('joblib');
    },
  );

  it('does not silently pass compression it cannot open', async () => {
    const result = await scanWithPickleReaders(
      Buffer.from('BZh91AY&SY fake bz2 body'),
      'model.joblib',
    );
    expect(blocking(result)).toContainEqual(
      expect.objectContaining({ ruleId: 'PICKLE-UNSCANNED' }),
    );
  });

  it('stops decompression bombs at the compression-ratio limit', async () => {
    const bomb = deflateSync(new Uint8Array(4 * 1024 * 1024));
    const result = await scanWithPickleReaders(bomb, 'model.joblib', {
      limits: { maxCompressionRatio: 10 },
    });
    expect(result.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'SCAN-LIMIT' }),
    );
  });

  it('does not claim text that happens to start with a valid zlib header', async () => {
    const result = await scanWithPickleReaders(
      Buffer.from('x^2 + y^2 = r^2\n'),
      'notes.txt',
    );
    expect(result.findings).toEqual([]);
  });

  it.each([
    [1, 'model.bin'],
    [3, 'model.bin'],
    [3, 'model'],
    [6, 'weights.dat'],
  ])(
    'walks a zlib level-%i joblib named %s (joblib.load ignores the name)',
    async (level, name) => {
      const payload = PickleWriter.create()
        .proto(4)
        .call('os', 'system', 'id')
        .stop()
        .bytes();
      const result = await scanWithPickleReaders(
        deflateSync(payload, { level }),
        name,
      );
      expect(symbolsOf(result, 'PICKLE-EXEC')).toContain('os.system');
    },
  );

  it.each([
    ['x^2 + y^2 = r^2\n', 'notes'],
    [
      'x^2 + y^2 = r^2, where r is the radius of the circle drawn around the origin\n'.repeat(
        20,
      ),
      'formula.bin',
    ],
    ['x\x01 binary-ish line\n', 'README'],
    ['x^_^x happy face in an extension-less file', 'faces'],
  ])(
    'does not claim text starting with a valid zlib header (%j as %s)',
    async (text, name) => {
      const bytes = Buffer.from(text, 'latin1');
      expect(compressionOf(bytes)).toBe('zlib');
      expect(inflatesToPickle(bytes)).toBe(false);
      const result = await scanWithPickleReaders(bytes, name);
      expect(
        result.findings.filter(finding => finding.ruleId.startsWith('PICKLE')),
      ).toEqual([]);
    },
  );

  it('probes any bytes behind a printable zlib header without throwing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x01, 0x5e),
        fc.uint8Array({ maxLength: 600 }),
        (second, body) => {
          expect(
            typeof inflatesToPickle(Uint8Array.from([0x78, second, ...body])),
          ).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('recognises compression by magic bytes', () => {
    expect(compressionOf(deflateSync(Buffer.from('x')))).toBe('zlib');
    expect(compressionOf(gzipSync(Buffer.from('x')))).toBe('gzip');
    expect(compressionOf(Buffer.from('\xfd7zXZ\x00', 'latin1'))).toBe('xz');
    expect(compressionOf(Buffer.from('# README'))).toBeUndefined();
  });
});
