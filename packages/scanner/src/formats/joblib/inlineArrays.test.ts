/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*", "fc.assert"] }] */
import fc from 'fast-check';
import { PickleWriter } from '../pickle/testing/pickleWriter';
import {
  scanWithPickleReaders,
  symbolsOf,
} from '../pickle/testing/scanForTest';
import type { ContainerRef, PyValue } from '../pickle/values';
import { dtypeItemSize } from './inlineArrays';

const tuple = (...items: PyValue[]): ContainerRef => ({
  kind: 'tuple',
  items,
  size: items.length,
});

/** `numpy.dtype(typestr, False, True)` as the walker sees it, with an optional BUILD state. */
const dtype = (typestr: string, state?: PyValue): PyValue => ({
  kind: 'call',
  callee: {
    kind: 'global',
    module: 'numpy',
    name: 'dtype',
    opcode: 'STACK_GLOBAL',
    offset: 0,
  },
  args: tuple(typestr, false, true),
  state,
  opcode: 'REDUCE',
  offset: 0,
});

/** numpy.dtype state: (version, endian, subarray, names, fields, elsize, alignment, flags). */
const state = (
  version: number,
  elsize: number,
  flags: number,
  fields: PyValue = null,
) => tuple(version, '|', null, null, fields, elsize, elsize, flags);

describe('dtypeItemSize (as NumPy rebuilds a pickled dtype)', () => {
  it('keeps the width of fixed-size types whatever elsize the state claims', () => {
    expect(dtypeItemSize(dtype('<f8', state(3, 1, 0)))).toBe(8);
    expect(dtypeItemSize(dtype('<i4', state(3, 4096, 0)))).toBe(4);
  });

  it('takes the state elsize for flexible types (S, a, U, V)', () => {
    expect(dtypeItemSize(dtype('|S3', state(3, 7, 0)))).toBe(7);
    expect(dtypeItemSize(dtype('V', state(3, 16, 0)))).toBe(16);
    expect(dtypeItemSize(dtype('<U2', state(3, 8, 0)))).toBe(8);
  });

  it('falls back to the type string without a state', () => {
    expect(dtypeItemSize(dtype('<f4'))).toBe(4);
    expect(dtypeItemSize(dtype('O'))).toBe('object');
  });

  it('trusts the flags from version 3 on', () => {
    expect(dtypeItemSize(dtype('O', state(3, -1, 63)))).toBe('object');
    expect(dtypeItemSize(dtype('<f8', state(3, 8, 1)))).toBe('object');
    // flags 0 on an object type: NumPy reads pointer-sized raw items, not a pickle
    expect(dtypeItemSize(dtype('O', state(3, 8, 0)))).toBe(8);
  });

  it('recomputes "holds objects" for versions before 3, as NumPy does', () => {
    expect(dtypeItemSize(dtype('O', state(2, 8, 0)))).toBe('object');
    expect(dtypeItemSize(dtype('<f8', state(2, 8, 16)))).toBe('object');
    expect(dtypeItemSize(dtype('<f8', state(2, 8, 0)))).toBe(8);
    const objectField: ContainerRef = {
      kind: 'dict',
      items: ['a', tuple(dtype('O'), 0)],
      size: 2,
    };
    expect(dtypeItemSize(dtype('V8', state(1, 8, 0, objectField)))).toBe(
      'object',
    );
  });

  it('gives up on states NumPy would not parse the way we assume', () => {
    expect(
      dtypeItemSize(dtype('<f8', tuple(3, '<', null, null))),
    ).toBeUndefined();
    expect(dtypeItemSize(dtype('<f8', state(5, 8, 0)))).toBeUndefined();
    expect(
      dtypeItemSize(
        dtype(
          '<f8',
          tuple(3, '<', tuple(dtype('<f8'), tuple(2)), null, null, 16, 8, 0),
        ),
      ),
    ).toBeUndefined();
  });
});

describe('joblib inline arrays end to end', () => {
  /** A NumpyArrayWrapper BUILD followed by `inline` bytes, then `tail` opcodes. */
  function joblibFile(options: {
    typestr: string;
    dtypeState?: [number, number, number];
    count: number;
    alignment?: (w: PickleWriter) => void;
    inline: Uint8Array;
    tail?: (w: PickleWriter) => void;
  }): Uint8Array {
    const w = PickleWriter.create().proto(4).emptyList().mark();
    w.stackGlobal('joblib.numpy_pickle', 'NumpyArrayWrapper')
      .emptyTuple()
      .newobj();
    w.emptyDict().mark();
    w.shortUnicode('subclass').stackGlobal('numpy', 'ndarray');
    w.shortUnicode('shape').int(options.count).raw(0x85);
    w.shortUnicode('order').shortUnicode('C');
    w.shortUnicode('dtype')
      .stackGlobal('numpy', 'dtype')
      .shortUnicode(options.typestr)
      .raw(0x89, 0x88, 0x87)
      .reduce();
    if (options.dtypeState) {
      const [version, elsize, flags] = options.dtypeState;
      w.mark()
        .int(version)
        .shortUnicode('|')
        .none()
        .none()
        .none()
        .int(elsize)
        .int(elsize)
        .int(flags)
        .tuple()
        .build();
    }
    w.shortUnicode('allow_mmap').raw(0x89);
    options.alignment?.(w);
    w.setItems().build();
    w.raw(options.inline);
    options.tail?.(w);
    return w.raw('e', '.').bytes();
  }
  const evilCall = () =>
    PickleWriter.create().call('os', 'system', 'id').bytes();
  /** Bytes that, read from `resumeAt`, are a BINBYTES swallowing the rest of the buffer and what follows. */
  function swallowing(
    length: number,
    resumeAt: number,
    swallowed: number,
  ): Uint8Array {
    const inline = new Uint8Array(length);
    inline[resumeAt] = 0x42; // BINBYTES
    new DataView(inline.buffer).setUint32(
      resumeAt + 1,
      length - resumeAt - 5 + swallowed,
      true,
    );
    return inline;
  }

  it('steps over 8 bytes per f8 element even when the dtype state claims elsize 1', async () => {
    const bytes = joblibFile({
      typestr: '<f8',
      dtypeState: [3, 1, 0],
      count: 8,
      inline: swallowing(64, 8, evilCall().length),
      tail: w => w.raw(evilCall()),
    });
    const result = await scanWithPickleReaders(bytes, 'model.joblib');
    expect(symbolsOf(result, 'PICKLE-EXEC')).toContain('os.system');
  });

  it.each([
    ['0', (w: PickleWriter) => w.int(0)],
    ['True', (w: PickleWriter) => w.raw(0x88)],
  ])(
    'reads the padding byte when numpy_array_alignment_bytes is %s (not None)',
    async (_label, value) => {
      const padding = 40;
      const inline = swallowing(1 + padding + 8, 8, evilCall().length);
      inline[0] = padding;
      const bytes = joblibFile({
        typestr: '<f8',
        count: 1,
        alignment: w => value(w.shortUnicode('numpy_array_alignment_bytes')),
        inline,
        tail: w => w.raw(evilCall()),
      });
      const result = await scanWithPickleReaders(bytes, 'model.joblib');
      expect(symbolsOf(result, 'PICKLE-EXEC')).toContain('os.system');
    },
  );

  it('reads no padding byte when numpy_array_alignment_bytes is None', async () => {
    const bytes = joblibFile({
      typestr: '<f8',
      count: 1,
      alignment: w => w.shortUnicode('numpy_array_alignment_bytes').none(),
      inline: new Uint8Array(8).fill(0x52),
    });
    const result = await scanWithPickleReaders(bytes, 'model.joblib');
    expect(
      result.findings.filter(finding => finding.severity !== 'info'),
    ).toEqual([]);
  });

  it('walks the nested pickle of an object dtype whose version-2 state says flags 0', async () => {
    const nested = PickleWriter.create()
      .proto(2)
      .call('os', 'system', 'id')
      .stop()
      .bytes();
    const bytes = joblibFile({
      typestr: 'O',
      dtypeState: [2, 8, 0],
      count: 4,
      inline: nested,
    });
    const result = await scanWithPickleReaders(bytes, 'model.joblib');
    expect(symbolsOf(result, 'PICKLE-EXEC')).toContain('os.system');
  });

  it('does not guess the width of a dtype whose state is set twice (NumPy keeps the last)', async () => {
    const w = PickleWriter.create().proto(4).emptyList().mark();
    w.stackGlobal('joblib.numpy_pickle', 'NumpyArrayWrapper')
      .emptyTuple()
      .newobj();
    w.emptyDict().mark();
    w.shortUnicode('shape').int(4).raw(0x85);
    w.shortUnicode('dtype')
      .stackGlobal('numpy', 'dtype')
      .shortUnicode('|S1')
      .raw(0x89, 0x88, 0x87)
      .reduce();
    for (const elsize of [1, 9])
      w.mark()
        .int(3)
        .shortUnicode('|')
        .none()
        .none()
        .none()
        .int(elsize)
        .int(1)
        .int(0)
        .tuple()
        .build();
    w.setItems().build().raw(new Uint8Array(36));
    const result = await scanWithPickleReaders(
      w.raw('e', '.').bytes(),
      'model.joblib',
    );
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'PICKLE-STRUCT',
        evidence: expect.objectContaining({ anomaly: 'inline-data' }),
      }),
    );
  });

  it('reports an alignment attribute computed by a call instead of guessing', async () => {
    const bytes = joblibFile({
      typestr: '<f8',
      count: 1,
      alignment: w =>
        w
          .shortUnicode('numpy_array_alignment_bytes')
          .stackGlobal('builtins', 'int')
          .emptyTuple()
          .reduce(),
      inline: new Uint8Array(8),
    });
    const result = await scanWithPickleReaders(bytes, 'model.joblib');
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'PICKLE-STRUCT',
        evidence: expect.objectContaining({ anomaly: 'inline-data' }),
      }),
    );
  });
});

describe('dtypeItemSize properties', () => {
  const item = fc.oneof(
    fc.integer({ min: -300, max: 1 << 20 }),
    fc.constant(null),
    fc.constantFrom('|', '<', 'x'),
  );
  it('never throws on arbitrary states and answers a size, "object" or undefined', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('<f8', 'O', '|S3', 'V', 'U', 'weird', '<M8[ns]'),
        fc.option(fc.array(item, { maxLength: 10 }), { nil: undefined }),
        (typestr, items) => {
          const size = dtypeItemSize(dtype(typestr, items && tuple(...items)));
          expect(
            size === undefined ||
              size === 'object' ||
              (Number.isSafeInteger(size) && size >= 0),
          ).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
