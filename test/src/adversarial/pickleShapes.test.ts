/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*"] }] */
/**
 * THREATS.md classes 1-5 end to end: each payload shape goes through `createScanner()` both as a
 * bare file and as the `data.pkl` of a PyTorch zip, so a reader that claims the bytes first (by name
 * or magic) cannot silently shadow the pickle walker.
 */
import {
  PickleWriter,
  buildZip,
  concatBytes,
  expectBlockedBy,
  isBlocking,
  osSystemPickle,
  pytorchZipSpec,
  scanBytes,
  summary,
} from './__testUtils__/helpers';
import type { ScanResult } from '@ml-governance/scanner';

type Case = [
  title: string,
  bytes: () => Uint8Array,
  rule: string,
  symbol: string | undefined,
];

const w = () => PickleWriter.create();

const callShapes: Case[] = [
  [
    'REDUCE via GLOBAL, protocol 0',
    () =>
      w()
        .global('os', 'system')
        .mark()
        .raw("S'id'\n")
        .tuple()
        .reduce()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'REDUCE via GLOBAL, protocol 1 (posix alias)',
    () =>
      w()
        .global('posix', 'system')
        .mark()
        .binUnicode('id')
        .tuple()
        .reduce()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    undefined,
  ],
  [
    'REDUCE via GLOBAL, protocol 2 (nt alias)',
    () => w().proto(2).call('nt', 'system', 'id', 'GLOBAL').stop().bytes(),
    'PICKLE-EXEC',
    undefined,
  ],
  [
    'REDUCE via GLOBAL, protocol 2 (__builtin__.eval)',
    () =>
      w().proto(2).call('__builtin__', 'eval', '1', 'GLOBAL').stop().bytes(),
    'PICKLE-EXEC',
    undefined,
  ],
  [
    'REDUCE via GLOBAL, protocol 3 (builtins.exec)',
    () => w().proto(3).call('builtins', 'exec', 'x=1', 'GLOBAL').stop().bytes(),
    'PICKLE-EXEC',
    'builtins.exec',
  ],
  [
    'REDUCE via STACK_GLOBAL, protocol 4',
    () => osSystemPickle(4),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'REDUCE via STACK_GLOBAL, protocol 5',
    () => osSystemPickle(5),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'INST',
    () =>
      w()
        .mark()
        .raw("S'id'\n")
        .inst('subprocess', 'check_output')
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'subprocess.check_output',
  ],
  [
    'OBJ whose result is POPped',
    () =>
      w()
        .proto(2)
        .mark()
        .global('os', 'system')
        .raw("S'id'\n")
        .obj()
        .pop()
        .none()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'NEWOBJ',
    () =>
      w()
        .proto(2)
        .global('subprocess', 'Popen')
        .mark()
        .binUnicode('id')
        .tuple()
        .newobj()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'subprocess.Popen',
  ],
  [
    'NEWOBJ_EX',
    () =>
      w()
        .proto(4)
        .stackGlobal('subprocess', 'Popen')
        .mark()
        .shortUnicode('id')
        .tuple()
        .emptyDict()
        .newobjEx()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'subprocess.Popen',
  ],
  [
    'BUILD driving __setstate__ of an unknown class',
    () =>
      w()
        .proto(4)
        .stackGlobal('evil_pkg', 'Gadget')
        .emptyTuple()
        .newobj()
        .emptyDict()
        .build()
        .stop()
        .bytes(),
    'PICKLE-GLOBAL-IMPORT',
    'evil_pkg.Gadget',
  ],
];

const operandSources: Case[] = [
  [
    'operands through BINPUT/BINGET',
    () =>
      w()
        .proto(4)
        .shortUnicode('os')
        .binPut(1)
        .pop()
        .shortUnicode('system')
        .binPut(2)
        .pop()
        .binGet(1)
        .binGet(2)
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
    'operands through LONG_BINPUT/LONG_BINGET and PUT/GET',
    () =>
      w()
        .proto(4)
        .shortUnicode('os')
        .longBinPut(70000)
        .pop()
        .shortUnicode('system')
        .put(3)
        .pop()
        .longBinGet(70000)
        .get(3)
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
    'operands through MEMOIZE next to torch decoys',
    () =>
      w()
        .proto(4)
        .shortUnicode('torch._utils')
        .memoize()
        .shortUnicode('os')
        .memoize()
        .shortUnicode('_rebuild_tensor_v2')
        .memoize()
        .shortUnicode('system')
        .memoize()
        .pop()
        .pop()
        .pop()
        .pop()
        .binGet(1)
        .binGet(3)
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
    'operands as SHORT_BINSTRING / BINSTRING',
    () =>
      w()
        .proto(4)
        .shortBinString('os')
        .binString('system')
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
    'operands as STRING / UNICODE',
    () =>
      w()
        .proto(4)
        .string("'os'")
        .unicode('system')
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
    'DUP/POP interleaving',
    () =>
      w()
        .proto(4)
        .shortUnicode('os')
        .dup()
        .pop()
        .shortUnicode('decoy')
        .pop()
        .shortUnicode('system')
        .dup()
        .pop()
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
    'missing memo key right after the call',
    () => w().proto(4).call('os', 'system', 'id').binGet(99).stop().bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
];

const nameResolution: Case[] = [
  [
    'dotted name through pathlib',
    () => w().proto(4).call('pathlib', 'os.system', 'id').stop().bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'dotted name through torch',
    () => w().proto(4).call('torch', 'os.system', 'id').stop().bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'submodule asyncio.unix_events',
    () =>
      w()
        .proto(4)
        .stackGlobal('asyncio.unix_events', '_UnixSubprocessTransport')
        .emptyTuple()
        .newobj()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'asyncio.unix_events._UnixSubprocessTransport',
  ],
  [
    'C alias _posixsubprocess.fork_exec',
    () =>
      w().proto(4).call('_posixsubprocess', 'fork_exec', 'x').stop().bytes(),
    'PICKLE-EXEC',
    undefined,
  ],
  [
    'C alias _io.FileIO',
    () => w().proto(4).call('_io', 'FileIO', '/etc/passwd').stop().bytes(),
    'PICKLE-EXEC',
    undefined,
  ],
  [
    'C alias _pickle.loads',
    () => w().proto(4).call('_pickle', 'loads', 'x').stop().bytes(),
    'PICKLE-EXEC',
    undefined,
  ],
  [
    'C alias _operator.attrgetter',
    () => w().proto(4).call('_operator', 'attrgetter', 'system').stop().bytes(),
    'PICKLE-EXEC',
    undefined,
  ],
];

const GADGETS: [string, string][] = [
  ['importlib', 'import_module'],
  ['pkgutil', 'resolve_name'],
  ['pydoc', 'locate'],
  ['builtins', '__import__'],
  ['builtins', 'getattr'],
  ['operator', 'attrgetter'],
  ['operator', 'methodcaller'],
  ['operator', 'itemgetter'],
  ['functools', 'partial'],
  ['functools', 'reduce'],
  ['types', 'CodeType'],
  ['types', 'FunctionType'],
  ['marshal', 'loads'],
  ['cloudpickle.cloudpickle', '_make_function'],
  ['pickle', 'loads'],
  ['torch', 'load'],
  ['numpy', 'load'],
  ['joblib', 'load'],
  ['torch.storage', '_load_from_bytes'],
  ['timeit', 'timeit'],
  ['cProfile', 'run'],
  ['profile', 'run'],
  ['trace', 'Trace'],
  ['bdb', 'Bdb'],
  ['pdb', 'run'],
  ['code', 'InteractiveInterpreter'],
  ['doctest', 'debug_script'],
  ['runpy', 'run_path'],
  ['numpy.testing._private.utils', 'runstring'],
  ['subprocess', 'run'],
  ['os', 'popen'],
  ['pty', 'spawn'],
  ['uuid', '_get_command_stdout'],
  ['multiprocessing.util', 'spawnv_passfds'],
  ['asyncio', 'create_subprocess_exec'],
  ['ensurepip', 'bootstrap'],
  ['pip', 'main'],
  ['pip._internal.cli.main', 'main'],
  ['venv', 'create'],
  ['torch.utils.collect_env', 'run'],
  ['builtins', 'open'],
  ['io', 'open'],
  ['codecs', 'open'],
  ['logging', 'FileHandler'],
  ['shutil', 'rmtree'],
  ['urllib.request', 'urlretrieve'],
  ['http.client', 'HTTPConnection'],
  ['requests', 'post'],
  ['aiohttp', 'ClientSession'],
  ['socket', 'create_connection'],
  ['ssl', 'get_server_certificate'],
  ['webbrowser', 'open_new'],
  ['ctypes', 'CDLL'],
  ['ctypes', 'cdll'],
  ['picklescan.scanner', 'scan_pickle_bytes'],
  ['modelscan.modelscan', 'ModelScan'],
  ['fickling', 'is_likely_safe'],
  ['os', 'execv'],
  ['builtins', 'compile'],
  ['sys', 'modules'],
  ['code', 'interact'],
  ['tempfile', 'mkstemp'],
];

const gadgets: Case[] = GADGETS.map(([module, name]) => [
  `gadget ${module}.${name}`,
  () => w().proto(4).call(module, name, 'x').stop().bytes(),
  'PICKLE-EXEC',
  `${module}.${name}`,
]);

const benignStream = () => w().proto(4).emptyDict().stop().bytes();
const legacyHeader = () =>
  concatBytes(
    w()
      .proto(2)
      .raw(0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19)
      .stop()
      .bytes(),
    w().proto(2).int(1001).stop().bytes(),
    w().proto(2).emptyDict().stop().bytes(),
  );

const streams: Case[] = [
  [
    'payload in the 3rd of three streams',
    () => concatBytes(benignStream(), benignStream(), osSystemPickle()),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'payload after a PyTorch legacy header',
    () =>
      concatBytes(
        legacyHeader(),
        w().proto(2).call('os', 'system', 'id', 'GLOBAL').stop().bytes(),
        w().proto(2).emptyList().stop().bytes(),
      ),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'broken tail after REDUCE',
    () =>
      w()
        .proto(2)
        .call('os', 'system', 'id', 'GLOBAL')
        .raw('X', 0xff, 0xff, 0, 0)
        .bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'invalid opcode after REDUCE',
    () => w().proto(4).call('os', 'system', 'id').raw(0xff, 0xfe).bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'junk between streams',
    () =>
      concatBytes(
        benignStream(),
        Buffer.from('\x00\x00JUNK\xff'),
        osSystemPickle(),
      ),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'broken first stream then payload',
    () =>
      concatBytes(w().proto(4).emptyDict().raw(0xff).bytes(), osSystemPickle()),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'lying FRAME length',
    () =>
      concatBytes(
        w().proto(4).frame(3).bytes(),
        w().call('os', 'system', 'id').stop().bytes(),
      ),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'FRAME claiming far more than the file',
    () =>
      concatBytes(
        w()
          .proto(4)
          .frame(1 << 30)
          .bytes(),
        w().call('os', 'system', 'id').stop().bytes(),
      ),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'misplaced PROTO after the payload',
    () => w().proto(4).call('os', 'system', 'id').proto(4).stop().bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
  [
    'PROTO 2 then PROTO 5 mid-stream before the payload',
    () =>
      w()
        .proto(2)
        .emptyList()
        .pop()
        .proto(5)
        .call('os', 'system', 'id')
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
];

const abuse: Case[] = [
  [
    'numpy.size + BUILD overwriting __builtins__',
    () =>
      w()
        .proto(4)
        .stackGlobal('numpy', 'size')
        .emptyDict()
        .shortUnicode('__builtins__')
        .stackGlobal('builtins', 'eval')
        .setItem()
        .build()
        .stop()
        .bytes(),
    'PICKLE-STATE-TAMPER',
    undefined,
  ],
  [
    'OrderedDict BUILD with __reduce__ key',
    () =>
      w()
        .proto(4)
        .stackGlobal('collections', 'OrderedDict')
        .emptyTuple()
        .reduce()
        .emptyDict()
        .shortUnicode('__reduce__')
        .none()
        .setItem()
        .build()
        .stop()
        .bytes(),
    'PICKLE-STATE-TAMPER',
    undefined,
  ],
  [
    'torch._utils._rebuild_tensor_v2 wrapping an os.system call as storage',
    () =>
      w()
        .proto(2)
        .global('torch._utils', '_rebuild_tensor_v2')
        .mark()
        .global('os', 'system')
        .binUnicode('id')
        .tuple1()
        .reduce()
        .int(0)
        .emptyTuple()
        .emptyTuple()
        .raw(0x89)
        .tuple()
        .reduce()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'os.system',
  ],
];

/** Carriers: how the pickle reaches the scanner. */
const CARRIERS: [string, (bytes: Uint8Array) => [Uint8Array, string]][] = [
  ['bare .bin', bytes => [bytes, 'pytorch_model.bin']],
  [
    'PyTorch zip member',
    bytes => [
      buildZip(
        pytorchZipSpec(
          bytes,
          [{ name: '0', data: new Uint8Array(16) }],
          'resnet50_v2',
        ),
      ),
      'model.pt',
    ],
  ],
];

function expectCaught(
  result: ScanResult,
  rule: string,
  symbol: string | undefined,
) {
  expectBlockedBy(result, rule, symbol);
  const hit = result.findings.find(
    f =>
      f.ruleId === rule &&
      (symbol === undefined || f.evidence.symbol === symbol),
  );
  expect(hit && isBlocking(hit)).toBe(true);
}

describe.each(CARRIERS)(
  'pickle threat classes through createScanner, carried as %s',
  (_carrier, carry) => {
    describe.each([
      ['call shapes', callShapes],
      ['STACK_GLOBAL operand sources', operandSources],
      ['find_class name resolution', nameResolution],
      ['stream-level tricks', streams],
      ['allowlisted-name abuse', abuse],
    ] as [string, Case[]][])('%s', (_group, cases) => {
      it.each(cases)('%s', async (_title, bytes, rule, symbol) => {
        const [data, name] = carry(bytes());
        expectCaught(await scanBytes(data, name), rule, symbol);
      });
    });
  },
);

describe('gadget families are PICKLE-EXEC (critical) through createScanner', () => {
  it.each(gadgets)('%s', async (_title, bytes, rule, symbol) => {
    const result = await scanBytes(bytes(), 'model.ckpt');
    const hit = result.findings.find(
      f => f.ruleId === rule && f.evidence.symbol === symbol,
    );
    expect(hit?.severity ?? summary(result)).toBe('critical');
  });
});

describe('expansion bombs finish in bounded time', () => {
  it('DUP + TUPLE2 doubling 60 levels deep does not hang and is not passed silently if a payload follows', async () => {
    const bomb = w().proto(4).emptyList();
    for (let i = 0; i < 60; i++) bomb.dup().tuple2();
    bomb.pop();
    const bytes = concatBytes(bomb.call('os', 'system', 'id').stop().bytes());
    const started = Date.now();
    const result = await scanBytes(bytes, 'model.pkl');
    expect(Date.now() - started).toBeLessThan(5000);
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });

  it('memo GET amplification (each level references the previous twice) is bounded', async () => {
    const bomb = w().proto(4).emptyList().binPut(0);
    for (let i = 1; i < 200; i++)
      bomb
        .binGet((i - 1) % 256)
        .binGet((i - 1) % 256)
        .tuple2()
        .binPut(i % 256);
    bomb.pop();
    const bytes = bomb.call('os', 'system', 'id').stop().bytes();
    const started = Date.now();
    const result = await scanBytes(bytes, 'model.pkl');
    expect(Date.now() - started).toBeLessThan(5000);
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });
});

describe('loaders and code paths inside ML namespaces (allowlist-first must not wave them through)', () => {
  it.each([
    ['torch.hub', 'load'],
    ['torch.hub', 'load_state_dict_from_url'],
    ['torch.jit', 'load'],
    ['torch.package', 'PackageImporter'],
    ['torch.utils.cpp_extension', 'load_inline'],
    ['torch.ops', 'load_library'],
    ['torch.fx.graph_module', '_forward_from_src'],
    ['numpy.ctypeslib', 'load_library'],
    ['pandas', 'read_pickle'],
    ['keras.models', 'load_model'],
  ])('%s.%s is PICKLE-EXEC', async (module, name) => {
    const result = await scanBytes(
      w().proto(4).call(module, name, 'x').stop().bytes(),
      'model.ckpt',
    );
    expect(
      result.findings.find(
        f =>
          f.ruleId === 'PICKLE-EXEC' &&
          f.evidence.symbol === `${module}.${name}`,
      )?.severity ?? summary(result),
    ).toBe('critical');
  });

  // Was a gap, now covered (grading only; formats/pickle/knowledge/denylist.ts): these are nested loaders/fetchers (aliases
  // of ones already graded PICKLE-EXEC) but only reach PICKLE-GLOBAL-IMPORT (high). Still blocked.
  it.each([
    ['torch.utils.model_zoo', 'load_url'],
    ['sklearn.externals.joblib', 'load'],
    ['numpy.lib.format', 'read_array'],
    ['transformers', 'AutoModel.from_pretrained'],
  ])(
    '%s.%s is PICKLE-EXEC (critical), not only an unknown import',
    async (module, name) => {
      const result = await scanBytes(
        w().proto(4).call(module, name, 'x').stop().bytes(),
        'model.ckpt',
      );
      expect(
        result.findings.find(
          f =>
            f.ruleId === 'PICKLE-EXEC' &&
            f.evidence.symbol === `${module}.${name}`,
        )?.severity,
      ).toBe('critical');
    },
  );
});
