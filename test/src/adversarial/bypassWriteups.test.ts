/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*"] }] */
/**
 * Gadget shapes from published scanner-bypass write-ups not covered by pickleShapes.test.ts or
 * evaluatorGadgets.test.ts: call chains that reach a dangerous function only through a wrapper
 * (functools.partial, getattr on an imported module, operator.attrgetter/methodcaller,
 * pydoc.locate), payload bytes built at load time by `_codecs.encode`, memo slots overwritten
 * between PUT and GET, copyreg extension codes, the ReversingLabs "nullifAI" 7z-compressed
 * PyTorch file, and a pickle that only starts after a truncated stream. Payloads are harmless
 * (`id`); each shape asserts the rule that names the mechanism, bare and as a PyTorch zip's data.pkl.
 */
import {
  PickleWriter,
  buildZip,
  expectBlockedBy,
  osSystemPickle,
  pytorchZipSpec,
  scanBytes,
} from './__testUtils__/helpers';

const w = () => PickleWriter.create().proto(4);

/** `importlib.import_module('os')` left on the stack. */
const importOs = (p: PickleWriter) =>
  p
    .stackGlobal('importlib', 'import_module')
    .shortUnicode('os')
    .tuple1()
    .reduce();

type Shape = [
  title: string,
  bytes: () => Uint8Array,
  rule: string,
  symbol: string | undefined,
];

const SHAPES: Shape[] = [
  [
    'functools.partial(os.system, "id")() — the callable is an argument, not the REDUCE target',
    () =>
      w()
        .stackGlobal('functools', 'partial')
        .stackGlobal('os', 'system')
        .shortUnicode('id')
        .tuple2()
        .reduce()
        .emptyTuple()
        .reduce()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'builtins.getattr(importlib.import_module("os"), "system")("id")',
    () => {
      const p = w().stackGlobal('builtins', 'getattr');
      importOs(p);
      return p
        .shortUnicode('system')
        .tuple2()
        .reduce()
        .shortUnicode('id')
        .tuple1()
        .reduce()
        .stop()
        .bytes();
    },
    'PICKLE-EXEC',
    'importlib.import_module',
  ],
  [
    'operator.attrgetter("system")(os module)("id")',
    () => {
      const p = w()
        .stackGlobal('operator', 'attrgetter')
        .shortUnicode('system')
        .tuple1()
        .reduce();
      importOs(p);
      return p
        .tuple1()
        .reduce()
        .shortUnicode('id')
        .tuple1()
        .reduce()
        .stop()
        .bytes();
    },
    'PICKLE-EXEC',
    'operator.attrgetter',
  ],
  [
    'operator.methodcaller("system", "id")(os module)',
    () => {
      const p = w()
        .stackGlobal('operator', 'methodcaller')
        .shortUnicode('system')
        .shortUnicode('id')
        .tuple2()
        .reduce();
      importOs(p);
      return p.tuple1().reduce().stop().bytes();
    },
    'PICKLE-EXEC',
    'operator.methodcaller',
  ],
  [
    'pydoc.locate("os.system")("id")',
    () =>
      w()
        .stackGlobal('pydoc', 'locate')
        .shortUnicode('os.system')
        .tuple1()
        .reduce()
        .shortUnicode('id')
        .tuple1()
        .reduce()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'pydoc.locate',
  ],
  [
    'code.InteractiveInterpreter().runsource(source) through getattr',
    () =>
      w()
        .stackGlobal('builtins', 'getattr')
        .stackGlobal('code', 'InteractiveInterpreter')
        .emptyTuple()
        .newobj()
        .shortUnicode('runsource')
        .tuple2()
        .reduce()
        .shortUnicode("__import__('os').system('id')")
        .tuple1()
        .reduce()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'code.InteractiveInterpreter',
  ],
  [
    'runpy.run_module on a planted module name',
    () => w().call('runpy', 'run_module', 'payload_module').stop().bytes(),
    'PICKLE-EXEC',
    'runpy.run_module',
  ],
  [
    'pickle.loads of bytes built by _codecs.encode (the inner pickle is the payload)',
    () =>
      w()
        .stackGlobal('pickle', 'loads')
        .stackGlobal('_codecs', 'encode')
        .shortUnicode(Buffer.from(osSystemPickle(2)).toString('latin1'))
        .shortUnicode('latin1')
        .tuple2()
        .reduce()
        .tuple1()
        .reduce()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    // The bytes are rebuilt and walked as the pickle they are: the inner call is named.
    'os.system',
  ],
  [
    'memo slot overwritten between PUT and GET (a benign name first, then "os")',
    () =>
      w()
        .shortUnicode('torch')
        .binPut(1)
        .pop()
        .shortUnicode('os')
        .binPut(1)
        .pop()
        .binGet(1)
        .shortUnicode('system')
        .raw(0x93)
        .shortUnicode('id')
        .tuple1()
        .reduce()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'STACK_GLOBAL operands fetched from memo slots written in another order',
    () =>
      w()
        .shortUnicode('system')
        .binPut(7)
        .shortUnicode('os')
        .binPut(3)
        .pop()
        .pop()
        .binGet(3)
        .binGet(7)
        .raw(0x93)
        .shortUnicode('id')
        .tuple1()
        .reduce()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'payload stream after a truncated first stream (no STOP, cut inside a BINUNICODE)',
    () => {
      const cut = w().binUnicode('x'.repeat(40)).bytes().subarray(0, 20);
      return Buffer.concat([cut, osSystemPickle(4)]);
    },
    'PICKLE-EXEC',
    undefined,
  ],
];

const CARRIERS: [string, (bytes: Uint8Array) => [Uint8Array, string]][] = [
  ['bare pickle', bytes => [bytes, 'model.pkl']],
  [
    'PyTorch zip',
    bytes => [
      buildZip(
        pytorchZipSpec(
          bytes,
          [{ name: '0', data: new Uint8Array(16) }],
          'archive',
        ),
      ),
      'model.pt',
    ],
  ],
];

describe.each(CARRIERS)(
  'bypass write-up shapes, carried as %s',
  (_carrier, carry) => {
    it.each(SHAPES)('%s', async (_title, bytes, rule, symbol) => {
      const [data, name] = carry(bytes());
      expectBlockedBy(await scanBytes(data, name), rule, symbol);
    });
  },
);

describe('containers a scanner cannot open are findings, named for what they are', () => {
  it('copyreg extension codes (EXT1) name a global the scanner cannot see: never a pass', async () => {
    const bytes = w()
      .raw(0x82, 0x01) // EXT1 code 1: whatever copyreg.add_extension registered
      .shortUnicode('id')
      .tuple1()
      .reduce()
      .stop()
      .bytes();
    expectBlockedBy(
      await scanBytes(bytes, 'model.pkl'),
      'PICKLE-GLOBAL-IMPORT',
      'copyreg._extension_registry.1',
    );
  });

  it('nullifAI: a PyTorch checkpoint compressed with 7z instead of zip is blocked as an unsupported archive', async () => {
    // 7z signature, version 0.4, then a start header; the body is never decoded.
    const sevenZip = Buffer.concat([
      Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]),
      Buffer.alloc(24),
      Buffer.from(osSystemPickle(2)),
    ]);
    const result = await scanBytes(sevenZip, 'pytorch_model.bin');
    expectBlockedBy(result, 'ARCHIVE-UNSUPPORTED');
    expect(
      result.findings.find(f => f.ruleId === 'ARCHIVE-UNSUPPORTED')?.message,
    ).toMatch(/7z|7-Zip/i);
  });
});
