/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*"] }] */
/**
 * THREATS.md class 6 end to end: a payload pickle hidden by the container layer (zip, tar, gzip,
 * npz, joblib) or by a misleading name must still reach the pickle walker and block.
 */
import { deflateSync } from 'node:zlib';
import {
  PickleWriter,
  buildTar,
  buildZip,
  concatBytes,
  expectBlocked,
  expectBlockedBy,
  expectNotBlocked,
  gzip,
  npy,
  osSystemPickle,
  pytorchZipSpec,
  ruleIds,
  scanBytes,
  scanTree,
} from './__testUtils__/helpers';

const payload = () => osSystemPickle(2);
const benignPickle = () =>
  PickleWriter.create().proto(2).emptyDict().stop().bytes();

describe('PyTorch zips', () => {
  it('payload data.pkl under a top folder that is not "archive"', async () => {
    const zip = buildZip(
      pytorchZipSpec(
        payload(),
        [{ name: '0', data: new Uint8Array(8) }],
        'totally_benign_weights',
      ),
    );
    expectBlockedBy(
      await scanBytes(zip, 'model.pt'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('payload in a member not named .pkl, outside a PyTorch layout', async () => {
    const zip = buildZip({
      entries: [
        { name: 'checkpoint/state', data: payload() },
        { name: 'checkpoint/README', data: 'hi' },
      ],
    });
    expectBlockedBy(
      await scanBytes(zip, 'checkpoint.zip'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('payload in an extension-less member deflated', async () => {
    const zip = buildZip({
      entries: [
        { name: 'x/version', data: '3\n' },
        { name: 'x/blob', data: payload(), method: 'deflate' },
      ],
    });
    expectBlockedBy(
      await scanBytes(zip, 'model.bin'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('local header names the payload, central directory names a storage (name mismatch)', async () => {
    const zip = buildZip({
      entries: [
        { name: 'archive/data.pkl', data: benignPickle() },
        {
          name: 'archive/data/0',
          localName: 'archive/data.pkl',
          data: payload(),
        },
        { name: 'archive/version', data: '3\n' },
      ],
    });
    const result = await scanBytes(zip, 'model.pt');
    expectBlockedBy(result, 'ARCHIVE-ZIP-MISMATCH');
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });

  it.each([
    ['first', [payload(), benignPickle()]],
    ['last', [benignPickle(), payload()]],
  ] as const)(
    'duplicate data.pkl with the payload in the %s copy',
    async (_where, [first, second]) => {
      const zip = buildZip({
        entries: [
          { name: 'archive/data.pkl', data: first },
          { name: 'archive/data.pkl', data: second },
          { name: 'archive/version', data: '3\n' },
        ],
      });
      const result = await scanBytes(zip, 'model.pt');
      expectBlockedBy(result, 'ARCHIVE-DUPLICATE');
      expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
    },
  );

  it('payload with a corrupted CRC (PyTorch does not check it)', async () => {
    const zip = buildZip(pytorchZipSpec(payload(), []));
    const corrupted = buildZip({
      entries: [
        { name: 'archive/data.pkl', data: payload(), crc: 0xdeadbeef },
        { name: 'archive/version', data: '3\n' },
      ],
    });
    expect(zip.length).toBeGreaterThan(0);
    const result = await scanBytes(corrupted, 'model.pt');
    expectBlockedBy(result, 'ARCHIVE-ZIP-CRC');
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });

  it('encryption bit in the central directory only: blocked as mismatched, encrypted reported as unloadable (PyTorch refuses it too)', async () => {
    const zip = buildZip({
      entries: [
        {
          name: 'archive/data.pkl',
          data: payload(),
          flags: 0x0001,
          localFlags: 0,
        },
        { name: 'archive/version', data: '3\n' },
      ],
    });
    const result = await scanBytes(zip, 'model.pt');
    expect(
      result.findings.find(f => f.ruleId === 'ARCHIVE-ENCRYPTED')?.severity,
    ).toBe('low');
    expectBlockedBy(result, 'ARCHIVE-ZIP-MISMATCH');
  });

  it.each([
    [
      'encryption bit in the local header only',
      { flags: 0, localFlags: 0x0001 },
    ],
    ['data-descriptor bit with zeroed local sizes', { dataDescriptor: true }],
    ['unknown flag bits in the local header', { flags: 0, localFlags: 0x7000 }],
  ])('flag tricks: %s still scans the payload', async (_title, extra) => {
    const zip = buildZip({
      entries: [
        { name: 'archive/data.pkl', data: payload(), ...extra },
        { name: 'archive/version', data: '3\n' },
      ],
    });
    expectBlockedBy(
      await scanBytes(zip, 'model.pt'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('deflated payload whose local header method says stored (central says deflate)', async () => {
    const raw = payload();
    const zip = buildZip({
      entries: [{ name: 'archive/data.pkl', data: raw, method: 'deflate' }],
    });
    // Patch the local header's method field (offset 8) to 0: the headers now disagree.
    const patched = Uint8Array.from(zip);
    patched[8] = 0;
    const result = await scanBytes(patched, 'model.pt');
    expectBlocked(result);
  });

  it('zip in zip in tar.gz, named .bin', async () => {
    const inner = buildZip(pytorchZipSpec(payload(), [], 'inner'));
    const middle = buildZip({
      entries: [{ name: 'nested/model.pt', data: inner, method: 'deflate' }],
    });
    const tar = buildTar([{ name: 'release/bundle.zip', data: middle }]);
    const result = await scanBytes(gzip(tar), 'weights.bin');
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
    const hit = result.findings.find(f => f.ruleId === 'PICKLE-EXEC');
    expect(hit?.location.entry?.join('!')).toContain('inner/data.pkl');
  });

  it('legacy tar PyTorch checkpoint with the payload in the pickle member', async () => {
    const tar = buildTar([
      { name: 'sys_info', data: benignPickle() },
      { name: 'pickle', data: payload() },
      { name: 'tensors', data: benignPickle() },
      { name: 'storages', data: benignPickle() },
    ]);
    expectBlockedBy(
      await scanBytes(tar, 'old_model.pth'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('gzip-wrapped pickle under a .bin name', async () => {
    expectBlockedBy(
      await scanBytes(gzip(payload()), 'model.bin'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('gzip-wrapped pickle under a .pkl.gz name', async () => {
    expectBlockedBy(
      await scanBytes(gzip(payload()), 'model.pkl.gz'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('two gzip members concatenated, payload in the second (gzip -d reads both)', async () => {
    const both = concatBytes(gzip(benignPickle()), gzip(payload()));
    expectBlocked(await scanBytes(both, 'model.pkl.gz'));
  });

  it('payload zip appended after a benign pickle (polyglot: torch.load reads the zip)', async () => {
    const zip = buildZip({
      prefix: benignPickle(),
      entries: [{ name: 'archive/data.pkl', data: payload() }],
    });
    const result = await scanBytes(zip, 'model.pt');
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });
});

describe('joblib compressors: the payload is found for the right reason, not as unsupported', () => {
  // Python: pickle.dumps(obj, protocol=4) with obj.__reduce__ = (os.system, ('id',)), then
  // lzma.compress (xz), lzma.compress(format=FORMAT_ALONE) (lzma) and bz2.compress.
  it.each([
    [
      'pipeline.joblib.xz',
      'fd377a585a000004e6d6b4460200210116000000742fe5a30100278004951d000000000000008c05706f736978948c0673797374656d9493948c02696494859452942e00901e0d1f48f677c100014028d4524ae51fb6f37d010000000004595a',
    ],
    [
      'pipeline.joblib.lzma',
      '5d00008000ffffffffffffffff0040010e6f297fcf11a51cd87f3908aa61957a22154ed87d8845e1e3825a659ad235027ffec435adf1ffffed312000',
    ],
    [
      'pipeline.joblib.bz2',
      '425a68393141592653592b240c5c00000cf3e05f000002000110000622cc6042040e002000314000d03264114f5184c08f47a89faa4178d28e5094f076185c6da125c5119533f68927f1772453850902b240c5c0',
    ],
  ])('%s', async (name, hex) => {
    const result = await scanBytes(Buffer.from(hex, 'hex'), name);
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
    expect(ruleIds(result)).not.toContain('ARCHIVE-UNSUPPORTED');
  });
});

describe('wrappers the scanner cannot open are findings, never a pass', () => {
  const magic: [string, number[]][] = [
    ['7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]],
  ];

  it.each([
    ['bz2', [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59]],
    ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]],
  ])(
    'a %s wrapper that does not decompress is blocked as a corrupt stream, not passed',
    async (_format, head) => {
      const bytes = concatBytes(
        Uint8Array.from(head),
        new Uint8Array(64).fill(7),
      );
      const result = await scanBytes(bytes, 'pytorch_model.bin');
      expectBlocked(result);
      expect(ruleIds(result)).toEqual(
        expect.arrayContaining(['ARCHIVE-STRUCT']),
      );
    },
  );
  it.each(magic)('%s wrapper named .bin', async (_format, head) => {
    const bytes = concatBytes(
      Uint8Array.from(head),
      new Uint8Array(64).fill(7),
    );
    const result = await scanBytes(bytes, 'pytorch_model.bin');
    expectBlocked(result);
    expect(ruleIds(result)).toEqual(
      expect.arrayContaining(['ARCHIVE-UNSUPPORTED']),
    );
  });

  it.each(magic)('%s wrapper as a member of a zip', async (_format, head) => {
    const zip = buildZip({
      entries: [
        {
          name: 'archive/data.pkl',
          data: concatBytes(Uint8Array.from(head), new Uint8Array(64).fill(7)),
        },
      ],
    });
    expectBlocked(await scanBytes(zip, 'model.pt'));
  });

  it('password-protected zip degrades to a finding without crashing', async () => {
    const zip = buildZip({
      entries: [
        {
          name: 'archive/data.pkl',
          data: new Uint8Array(64).fill(0x33),
          flags: 0x0001,
          crc: 0,
        },
      ],
    });
    const result = await scanBytes(zip, 'model.pt');
    // Not a PyTorch layout (no version record): whoever has the password can extract it, so a ticket.
    expect(
      result.findings.find(f => f.ruleId === 'ARCHIVE-ENCRYPTED')?.severity,
    ).toBe('medium');
    expect(ruleIds(result)).not.toContain('SCAN-ERROR');
  });
});

describe('disguised names', () => {
  const p0 = () =>
    PickleWriter.create()
      .global('os', 'system')
      .mark()
      .raw("S'id'\n")
      .tuple()
      .reduce()
      .stop()
      .bytes();

  it.each([
    'model.safetensors',
    'model.gguf',
    'model.h5',
    'model.npy',
    'tokenizer.model',
    'weights',
    'model.txt',
  ])('a pickle named %s is walked and blocks with PICKLE-EXEC', async name => {
    expectBlockedBy(
      await scanBytes(payload(), name),
      'PICKLE-EXEC',
      'os.system',
    );
    expectBlockedBy(await scanBytes(p0(), name), 'PICKLE-EXEC', 'os.system');
  });

  // Was a gap, now covered (formats/models onnx + tensorflow readers): they claim by *name* at priority 20 over the
  // pickle reader (10) and, unlike safetensors/GGUF, never call reportDisguise, so a pickle named
  // .onnx/.pb is reported only as an unparseable model: the payload is never named.
  it.each([
    'model.onnx',
    'saved_model.pb',
    'keras_metadata.pb',
    'frozen_graph.pb',
  ])(
    'a protocol-2 pickle named %s is walked (PICKLE-EXEC os.system)',
    async name => {
      expectBlockedBy(
        await scanBytes(payload(), name),
        'PICKLE-EXEC',
        'os.system',
      );
    },
  );

  it.each(['model.onnx', 'saved_model.pb'])(
    'a protocol-0 pickle named %s is walked (PICKLE-EXEC os.system)',
    async name => {
      expectBlockedBy(await scanBytes(p0(), name), 'PICKLE-EXEC', 'os.system');
    },
  );

  it.each(['model.onnx', 'saved_model.pb', 'keras_metadata.pb'])(
    'a pickle named %s is at least blocked (MODEL-MALFORMED)',
    async name => {
      expectBlockedBy(await scanBytes(payload(), name), 'MODEL-MALFORMED');
    },
  );

  // Was a gap, now covered (formats/models/tensorflow): for a frozen-graph name the parse failure is only MEDIUM, so a
  // pickle named `*.pb` passes the release gate (torch.load / pickle.load do not care about the name).
  it('a pickle named frozen_graph.pb blocks the release', async () => {
    expectBlocked(await scanBytes(payload(), 'frozen_graph.pb'));
  });

  it('a pickle named .pb inside a zip is walked (PICKLE-EXEC)', async () => {
    const zip = buildZip({
      entries: [{ name: 'export/saved_model.pb', data: payload() }],
    });
    expectBlockedBy(
      await scanBytes(zip, 'model.zip'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('odd extensions in a directory scan are still sniffed by content', async () => {
    const result = await scanTree({
      'weights/shard.00001-of-00002': payload(),
      'weights/LICENSE.md': 'MIT',
    });
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });
});

describe('NumPy', () => {
  const objectNpy = () => npy('|O', [1], payload());

  it('npz member holding an object-dtype npy whose pickle runs os.system', async () => {
    const npz = buildZip({
      entries: [
        { name: 'weights.npy', data: npy('<f4', [2], new Uint8Array(8)) },
        { name: 'meta.npy', data: objectNpy(), method: 'deflate' },
      ],
    });
    const result = await scanBytes(npz, 'arrays.npz');
    expect(result.findings.some(f => f.ruleId === 'NUMPY-OBJECT-ARRAY')).toBe(
      true,
    );
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });

  it('npz nested inside a PyTorch-style zip', async () => {
    const npz = buildZip({
      entries: [{ name: 'meta.npy', data: objectNpy() }],
    });
    const outer = buildZip({
      entries: [{ name: 'bundle/extra.npz', data: npz }],
    });
    expectBlockedBy(
      await scanBytes(outer, 'bundle.zip'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('npy header claiming a numeric dtype with a pickle as the body is not blocked on the body (NumPy never unpickles it)', async () => {
    const result = await scanBytes(
      npy('<f8', [2], payload().subarray(0, 16)),
      'vec.npy',
    );
    expect(ruleIds(result)).not.toContain('PICKLE-EXEC');
  });

  // Was a gap, now covered (low; formats/numpy): bytes after the declared array are never looked at. NumPy ignores them
  // too, so nothing runs on load, but it is a free hiding place for a second stage: worth a signal.
  it('npy with a pickle hidden after the declared numeric data gets some finding', async () => {
    const bytes = concatBytes(npy('<f8', [1], new Uint8Array(8)), payload());
    const result = await scanBytes(bytes, 'vec.npy');
    expect(
      ruleIds(result).filter(rule => rule !== 'PICKLE-FORMAT'),
    ).not.toEqual([]);
  });
});

describe('joblib inline arrays', () => {
  /**
   * joblib's inline-array layout (list of NumpyArrayWrapper, raw bytes after each BUILD) with the
   * parts an attacker controls exposed: dtype typestr and state, shape, alignment attribute, bytes.
   */
  function joblibFile(options: {
    typestr: string;
    dtypeState?: (w: PickleWriter) => void;
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
    w.shortUnicode('shape').int(options.count).tuple1();
    w.shortUnicode('order').shortUnicode('C');
    w.shortUnicode('dtype')
      .stackGlobal('numpy', 'dtype')
      .shortUnicode(options.typestr)
      .raw(0x89, 0x88, 0x87)
      .reduce();
    options.dtypeState?.(w);
    w.shortUnicode('allow_mmap').raw(0x89);
    options.alignment?.(w);
    w.setItems().build();
    w.raw(options.inline);
    options.tail?.(w);
    return w.raw('e', '.').bytes();
  }
  /** numpy.dtype BUILD state: (version, endian, subarray, names, fields, elsize, alignment, flags). */
  const dtypeState =
    (version: number, elsize: number, flags: number) => (w: PickleWriter) =>
      w
        .mark()
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
  const evilCall = () =>
    PickleWriter.create().call('os', 'system', 'id').bytes();

  /** Inline bytes that, read from `scannerResumesAt`, are a BINBYTES swallowing the rest and `hidden`. */
  function swallowing(
    length: number,
    scannerResumesAt: number,
    hidden: Uint8Array,
  ): Uint8Array {
    const inline = new Uint8Array(length);
    inline[scannerResumesAt] = 0x42; // BINBYTES
    new DataView(inline.buffer).setUint32(
      scannerResumesAt + 1,
      length - scannerResumesAt - 5 + hidden.length,
      true,
    );
    return inline;
  }

  it('payload after a well-formed inline buffer', async () => {
    const bytes = joblibFile({
      typestr: '<f8',
      count: 4,
      inline: new Uint8Array(32).fill(0x52),
      tail: w => w.call('os', 'system', 'id'),
    });
    expectBlockedBy(
      await scanBytes(bytes, 'model.joblib'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('object-dtype wrapper: the nested pickle joblib writes is walked', async () => {
    const bytes = joblibFile({
      typestr: 'O',
      dtypeState: dtypeState(3, -1, 63),
      count: 1,
      inline: payload(),
    });
    expectBlockedBy(
      await scanBytes(bytes, 'model.joblib'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('zlib-compressed joblib with the payload after the inline buffer', async () => {
    const body = joblibFile({
      typestr: '<f8',
      count: 2,
      inline: new Uint8Array(16),
      tail: w => w.call('os', 'system', 'id'),
    });
    expectBlockedBy(
      await scanBytes(new Uint8Array(deflateSync(body)), 'model.joblib'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  // Was a gap, now covered (critical; formats/joblib/inlineArrays.ts dtypeItemSize): the dtype state's elsize is trusted
  // before the typestr, but numpy applies it only to flexible types (S/U/V; descriptor.c
  // arraydescr_setstate, `PyTypeNum_ISEXTENDED`). "<f8" stays 8 bytes wide, so joblib reads 8*count
  // bytes while the scanner skips 1*count and resumes inside the array, where a forged BINBYTES
  // swallows the real payload that follows the array.
  it('f8 dtype whose state claims elsize 1 desynchronises the walk (payload hidden)', async () => {
    const count = 8;
    const bytes = joblibFile({
      typestr: '<f8',
      dtypeState: dtypeState(3, 1, 0),
      count,
      inline: swallowing(8 * count, count, evilCall()),
      tail: w => w.raw(evilCall()),
    });
    expectBlockedBy(
      await scanBytes(bytes, 'model.joblib'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  // Was a gap, now covered (critical; formats/joblib/inlineArrays.ts): joblib reads the padding-length byte whenever
  // `numpy_array_alignment_bytes is not None` (read_array); the scanner only when it is a number > 0.
  // With 0 (or True) joblib skips 1 + N padding bytes the scanner treats as array data.
  it('numpy_array_alignment_bytes = 0 desynchronises the walk (payload hidden)', async () => {
    const padding = 40;
    const inline = swallowing(1 + padding + 8, 8, evilCall());
    inline[0] = padding;
    const bytes = joblibFile({
      typestr: '<f8',
      count: 1,
      alignment: w => w.shortUnicode('numpy_array_alignment_bytes').int(0),
      inline,
      tail: w => w.raw(evilCall()),
    });
    expectBlockedBy(
      await scanBytes(bytes, 'model.joblib'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  // Was a gap, now covered (critical; formats/joblib/inlineArrays.ts): with a dtype state of version < 3 numpy recomputes
  // the flags from the type (`_descr_find_object`), so "O" still holds objects and joblib calls
  // pickle.load on the inline bytes; the scanner reads flags 0 + elsize 8 and skips them as raw data.
  it('object dtype with a version-2 state (flags recomputed by numpy) hides a nested payload', async () => {
    const nested = payload();
    const count = Math.ceil(nested.length / 8);
    const inline = concatBytes(
      nested,
      new Uint8Array(count * 8 - nested.length),
    );
    const bytes = joblibFile({
      typestr: 'O',
      dtypeState: dtypeState(2, 8, 0),
      count,
      inline: inline.subarray(0, nested.length),
    });
    expectBlockedBy(
      await scanBytes(bytes, 'model.joblib'),
      'PICKLE-EXEC',
      'os.system',
    );
  });
});

describe('benign containers stay unblocked', () => {
  it('a deflated, well-formed PyTorch zip with a state-dict-like pickle', async () => {
    const stateDict = PickleWriter.create()
      .proto(2)
      .raw('}')
      .mark()
      .binUnicode('fc.weight')
      .global('torch._utils', '_rebuild_tensor_v2')
      .mark()
      .mark()
      .binUnicode('storage')
      .global('torch', 'FloatStorage')
      .binUnicode('0')
      .binUnicode('cpu')
      .int(4)
      .tuple()
      .raw('Q')
      .int(0)
      .int(4)
      .tuple1()
      .int(1)
      .tuple1()
      .raw(0x89)
      .global('collections', 'OrderedDict')
      .emptyTuple()
      .reduce()
      .tuple()
      .reduce()
      .setItems()
      .stop()
      .bytes();
    const zip = buildZip({
      entries: [
        { name: 'archive/data.pkl', data: stateDict },
        { name: 'archive/data/0', data: new Uint8Array(16) },
        { name: 'archive/version', data: '3\n' },
      ],
    });
    expectNotBlocked(await scanBytes(zip, 'model.pt'));
  });
});
