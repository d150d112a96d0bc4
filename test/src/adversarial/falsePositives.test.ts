/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*"] }] */
/**
 * Benign shapes that must never block a release (a HIGH/CRITICAL finding on a real model or an
 * ordinary repository file is a false block). Built in code to mirror what real tools write.
 */
import {
  expectNotBlocked,
  PickleWriter,
  buildZip,
  npy,
  safetensors,
  scanBytes,
  scanTree,
  summary,
} from './__testUtils__/helpers';

/** `torch.save(model.state_dict())` data.pkl for one float tensor, as PyTorch 2.x writes it (protocol 2). */
function torchStateDictPickle(): Uint8Array {
  const w = PickleWriter.create().proto(2);
  w.global('collections', 'OrderedDict').emptyTuple().reduce().binPut(0).mark();
  for (const [index, name] of ['fc.weight', 'fc.bias'].entries()) {
    w.binUnicode(name).binPut(1 + index * 10);
    w.global('torch._utils', '_rebuild_tensor_v2').binPut(2 + index * 10);
    w.mark()
      .mark()
      .binUnicode('storage')
      .global('torch', 'FloatStorage')
      .binUnicode(String(index))
      .binUnicode('cpu')
      .int(4)
      .tuple()
      .raw('Q');
    w.int(0).int(2).int(2).tuple2().int(2).int(1).tuple2().raw(0x89);
    w.global('collections', 'OrderedDict')
      .emptyTuple()
      .reduce()
      .tuple()
      .reduce()
      .binPut(3 + index * 10);
  }
  w.setItems();
  // state_dict()._metadata = {...}: a BUILD on the OrderedDict, as torch writes it.
  w.emptyDict()
    .shortBinString('_metadata')
    .global('collections', 'OrderedDict')
    .emptyTuple()
    .reduce()
    .setItem()
    .build();
  return w.stop().bytes();
}

/** An sklearn LogisticRegression pickled at protocol 2: numpy _reconstruct + `_codecs.encode` buffers. */
function sklearnPickle(): Uint8Array {
  const array = (w: PickleWriter, raw: string) => {
    const latin1 = (text: string) =>
      w
        .global('_codecs', 'encode')
        .binUnicode(text)
        .binUnicode('latin1')
        .tuple2()
        .reduce();
    w.global('numpy.core.multiarray', '_reconstruct')
      .global('numpy', 'ndarray')
      .int(0)
      .tuple1();
    latin1('b');
    w.raw(0x87).reduce();
    w.mark()
      .int(1)
      .int(1)
      .int(3)
      .tuple2()
      .global('numpy', 'dtype')
      .binUnicode('f8')
      .raw(0x89, 0x88, 0x87)
      .reduce();
    w.mark()
      .int(3)
      .binUnicode('<')
      .none()
      .none()
      .none()
      .raw('J', 0xff, 0xff, 0xff, 0xff)
      .raw('J', 0xff, 0xff, 0xff, 0xff)
      .int(0)
      .tuple()
      .build();
    w.raw(0x89);
    latin1(raw);
    w.tuple().build();
  };
  const w = PickleWriter.create().proto(2);
  w.global('sklearn.linear_model._logistic', 'LogisticRegression')
    .binPut(0)
    .raw(')')
    .raw(0x81)
    .emptyDict()
    .mark();
  w.binUnicode('penalty').binUnicode('l2');
  w.binUnicode('C').raw('G', 0x3f, 0xf0, 0, 0, 0, 0, 0, 0);
  w.binUnicode('coef_');
  array(w, '\u0000'.repeat(24));
  w.binUnicode('classes_');
  array(w, '\u0000'.repeat(16));
  w.binUnicode('_sklearn_version').binUnicode('1.5.2');
  w.setItems().build().stop();
  return w.bytes();
}

describe('false positives: benign shapes stay unblocked', () => {
  it('a torch state-dict pickle (OrderedDict, _rebuild_tensor_v2, persistent ids, _metadata BUILD)', async () => {
    const result = await scanBytes(torchStateDictPickle(), 'data.pkl');
    expect(result.files[0].formats).toContain('pickle');
    expectNotBlocked(result);
  });

  it('the same state dict as a full PyTorch zip with a custom top folder', async () => {
    const zip = buildZip({
      entries: [
        { name: 'resnet/data.pkl', data: torchStateDictPickle() },
        { name: 'resnet/.format_version', data: '1' },
        { name: 'resnet/.storage_alignment', data: '64' },
        { name: 'resnet/byteorder', data: 'little' },
        { name: 'resnet/data/0', data: new Uint8Array(16) },
        { name: 'resnet/data/1', data: new Uint8Array(16) },
        { name: 'resnet/version', data: '3\n' },
        { name: 'resnet/.data/serialization_id', data: '1234567890' },
      ],
    });
    expectNotBlocked(await scanBytes(zip, 'model.pt'));
  });

  it('an sklearn pickle with numpy _reconstruct and _codecs.encode', async () => {
    const result = await scanBytes(sklearnPickle(), 'model.pkl');
    expect(result.files[0].formats).toContain('pickle');
    expect(result.findings.filter(f => f.ruleId === 'PICKLE-STRUCT')).toEqual(
      [],
    );
    expectNotBlocked(result);
  });

  it('a valid safetensors file', async () => {
    const bytes = safetensors(
      {
        __metadata__: { format: 'pt' },
        'fc.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
        'fc.bias': { dtype: 'F32', shape: [2], data_offsets: [16, 24] },
      },
      new Uint8Array(24),
    );
    expectNotBlocked(await scanBytes(bytes, 'model.safetensors'));
  });

  it('a numeric .npy and .npz', async () => {
    expectNotBlocked(
      await scanBytes(npy('<f4', [4], new Uint8Array(16)), 'emb.npy'),
    );
    expectNotBlocked(
      await scanBytes(
        buildZip({
          entries: [
            { name: 'a.npy', data: npy('<i8', [2], new Uint8Array(16)) },
          ],
        }),
        'w.npz',
      ),
    );
  });

  it.each([
    ['JSON', '{"hidden_size": 768, "vocab_size": 30522}\n'],
    ['README', '# My model\n\nTrained on public data.\n'],
    [
      'Python',
      'import torch\nimport numpy as np\n\nmodel = torch.nn.Linear(2, 2)\n',
    ],
    [
      'text starting with "("',
      '(a) weights are fp16\n(b) trained for 3 epochs\n',
    ],
    ['text starting with "N."', 'N.B. these weights are not for production.\n'],
    [
      'shell script starting with "cd "',
      'cd /workspace\npython train.py --epochs 3\n',
    ],
    ['CSV starting with "I"', 'Id,label\n1,cat\n2,dog\n'],
    ['text starting with "c"', 'checkpoint saved at epoch 3\nloss 0.12\n'],
    ['text starting with "S\'"', "S'more notes'\nend\n"],
  ])('a plain %s file named .bin is not blocked', async (_kind, text) => {
    const result = await scanBytes(Buffer.from(text), 'pytorch_model.bin');
    expect(
      summary(result).filter(line => /^(critical|high) /.test(line)),
    ).toEqual([]);
  });

  it('an ordinary repository tree (sources, LICENSE, notes, configs) is not blocked', async () => {
    const result = await scanTree({
      LICENSE:
        '(c) 2024 Example Corp. Licensed under the Apache License, Version 2.0.\n',
      NOTES: 'N.B. retrain monthly.\n',
      'train.py': 'import torch\n\nprint(torch.__version__)\n',
      'scripts/run.sh': 'cd "$(dirname "$0")"\npython ../train.py\n',
      'data/labels.csv': 'Id,label\n1,cat\n',
      'config.json': JSON.stringify({
        architectures: ['BertModel'],
        model_type: 'bert',
      }),
      'requirements.txt': 'torch==2.6.0\n',
    });
    expect(
      summary(result).filter(line => /^(critical|high) /.test(line)),
    ).toEqual([]);
  });
});
