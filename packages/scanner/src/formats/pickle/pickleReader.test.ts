import { sniffPickle } from './pickleReader';
import { PickleWriter } from './testing/pickleWriter';
import { REFERENCE_PICKLES } from './testing/referencePickles';

const text = (value: string) => new Uint8Array(Buffer.from(value, 'utf8'));

describe('pickle sniffing', () => {
  it('claims protocol 2-5 pickles by their PROTO header and protocol 0/1 pickles by parsing their head', () => {
    for (const reference of REFERENCE_PICKLES) {
      const bytes = Buffer.from(reference.hex, 'hex');
      expect(sniffPickle(bytes, bytes.length)).toBe(true);
    }
    expect(
      sniffPickle(
        PickleWriter.create()
          .global('os', 'system')
          .mark()
          .raw("S'id'\n")
          .tuple()
          .reduce()
          .stop()
          .bytes(),
        21,
      ),
    ).toBe(true);
    expect(
      sniffPickle(
        PickleWriter.create()
          .mark()
          .raw("S'id'\n")
          .inst('os', 'system')
          .stop()
          .bytes(),
        22,
      ),
    ).toBe(true);
  });

  it('claims a protocol 0 head cut from a larger file', () => {
    const w = PickleWriter.create().raw('(dp0\n');
    for (let i = 0; w.length < 5000; i++)
      w.raw(`V key${i}\np${i + 1}\nI${i}\ns`);
    const head = w.bytes().subarray(0, 4096);
    expect(sniffPickle(head, 5000)).toBe(true);
  });

  it.each([
    ['README', '# Model card\n\nThis model was trained on...\n'],
    ['JSON', '{"architectures": ["BertModel"], "hidden_size": 768}\n'],
    ['JSON list', '[1, 2, 3]\n'],
    [
      'Python',
      'import os\nimport torch\n\ndef load():\n    return torch.load("x")\n',
    ],
    ['Python class', 'class Net(nn.Module):\n    pass\n'],
    ['YAML', 'model:\n  name: bert\n'],
    ['licence', 'Apache License\nVersion 2.0, January 2004\n'],
    ['CSV', 'a,b,c\n1,2,3\n'],
    ['INI', '[section]\nkey = value\n'],
    ['copyright', '(c) 2024 Example Corp.\n'],
    ['shell', 'cd /tmp && ls\n'],
    ['numbers', 'I love pickles\n'],
    ['letters', 'Np.\n'],
    ['tokenizer merges', '#version: 0.2\nĠ t\nĠ a\n'],
    ['vocab', '[PAD]\n[UNK]\n[CLS]\n'],
  ])('does not claim %s text', (_kind, content) => {
    const bytes = text(content);
    expect(sniffPickle(bytes, bytes.length)).toBe(false);
  });

  it('does not claim other binary formats', () => {
    expect(
      sniffPickle(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 6),
    ).toBe(false); // zip
    expect(sniffPickle(Buffer.from('\x93NUMPY\x01\x00', 'latin1'), 8)).toBe(
      false,
    );
    expect(
      sniffPickle(Uint8Array.from([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0]), 8),
    ).toBe(false); // GGUF
    expect(sniffPickle(Uint8Array.from([0x08, 0x07, 0x12, 0x04]), 4)).toBe(
      false,
    ); // protobuf
  });
});
