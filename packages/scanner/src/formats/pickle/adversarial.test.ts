/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*", "fc.assert"] }] */
import type { ScanResult } from '../../model/finding';
import { PickleWriter, concatBytes } from './testing/pickleWriter';
import {
  blocking,
  scanWithPickleReaders,
  summarise,
} from './testing/scanForTest';

/**
 * One test per bypass class from the public picklescan / ModelScan / fickling advisories (see
 * docs/THREATS.md). Each builds the payload shape in code and asserts the finding a user relies on.
 */

const scan = (bytes: Uint8Array, name = 'model.bin') =>
  scanWithPickleReaders(bytes, name);

function execSymbols(result: ScanResult): string[] {
  return result.findings
    .filter(f => f.ruleId === 'PICKLE-EXEC')
    .map(f => String(f.evidence.symbol));
}

function expectExec(result: ScanResult, symbol: string) {
  expect(execSymbols(result)).toContain(symbol);
  expect(
    result.findings.find(
      f => f.ruleId === 'PICKLE-EXEC' && f.evidence.symbol === symbol,
    )?.severity,
  ).toBe('critical');
}

/** A pickle of the given protocol that calls `module.name(argument)` with STACK_GLOBAL + REDUCE. */
function callPayload(
  module: string,
  name: string,
  argument: string,
  protocol: number,
): Uint8Array {
  return PickleWriter.create()
    .proto(protocol)
    .call(module, name, argument)
    .stop()
    .bytes();
}

function expectStruct(result: ScanResult, anomaly: string) {
  expect(result.findings).toContainEqual(
    expect.objectContaining({
      ruleId: 'PICKLE-STRUCT',
      evidence: expect.objectContaining({ anomaly }),
    }),
  );
}

function expectImport(result: ScanResult, symbol: string) {
  const finding = result.findings.find(
    f => f.ruleId === 'PICKLE-GLOBAL-IMPORT' && f.evidence.symbol === symbol,
  );
  expect(finding).toBeDefined();
  expect(finding?.severity).toBe('high');
}

describe('adversarial pickles (public scanner bypasses)', () => {
  describe('call shapes', () => {
    it.each([0, 1, 2, 3])(
      'REDUCE via GLOBAL in protocol %i',
      async protocol => {
        const w =
          protocol >= 2
            ? PickleWriter.create().proto(protocol)
            : PickleWriter.create();
        w.global('os', 'system').mark().raw("S'id'\n").tuple().reduce().stop();
        expectExec(await scan(w.bytes()), 'os.system');
      },
    );

    it.each([4, 5])(
      'REDUCE via STACK_GLOBAL in protocol %i',
      async protocol => {
        expectExec(
          await scan(callPayload('os', 'system', 'id', protocol)),
          'os.system',
        );
      },
    );

    it('INST of a dangerous class', async () => {
      expectExec(
        await scan(
          PickleWriter.create()
            .mark()
            .raw("S'id'\n")
            .inst('subprocess', 'check_output')
            .stop()
            .bytes(),
        ),
        'subprocess.check_output',
      );
    });

    it('OBJ whose result is POPped (still runs)', async () => {
      const w = PickleWriter.create()
        .proto(2)
        .mark()
        .global('os', 'system')
        .raw("S'id'\n")
        .obj()
        .pop()
        .none()
        .stop();
      const result = await scan(w.bytes());
      expectExec(result, 'os.system');
      expect(
        result.findings.find(f => f.ruleId === 'PICKLE-EXEC')?.evidence.opcode,
      ).toBe('OBJ');
    });

    it('NEWOBJ and NEWOBJ_EX of a dangerous class', async () => {
      const newobj = PickleWriter.create()
        .proto(2)
        .global('subprocess', 'Popen')
        .shortBinString('id')
        .tuple1()
        .newobj()
        .stop();
      expectExec(await scan(newobj.bytes()), 'subprocess.Popen');
      const ex = PickleWriter.create()
        .proto(4)
        .stackGlobal('subprocess', 'Popen')
        .shortUnicode('id')
        .tuple1()
        .emptyDict()
        .newobjEx()
        .stop();
      expectExec(await scan(ex.bytes()), 'subprocess.Popen');
    });

    it('BUILD driving __setstate__ of an unknown class is reported', async () => {
      const w = PickleWriter.create()
        .proto(4)
        .stackGlobal('evil_pkg', 'Gadget')
        .emptyTuple()
        .newobj()
        .shortUnicode('cmd')
        .build()
        .stop();
      expectImport(await scan(w.bytes()), 'evil_pkg.Gadget');
    });
  });

  describe('where STACK_GLOBAL operands come from', () => {
    it('memo PUT/GET mixed with MEMOIZE so the memo looks like torch (picklescan issue #14)', async () => {
      const w = PickleWriter.create().proto(4);
      w.binString('os').binPut(0).binString('system').binPut(1);
      w.binString('torch._utils')
        .memoize()
        .binString('_rebuild_tensor_v2')
        .memoize(); // lands on keys 2 and 3
      w.pop().pop().pop().pop();
      w.binGet(0)
        .binGet(1)
        .raw(0x93)
        .shortUnicode('id')
        .tuple1()
        .reduce()
        .stop();
      expectExec(await scan(w.bytes()), 'os.system');
    });

    it('operands pushed at the very start of the stream, before PROTO-like decoys (picklescan issue #22)', async () => {
      const w = PickleWriter.create()
        .shortUnicode('os')
        .shortUnicode('system')
        .raw(0x93)
        .shortUnicode('id')
        .tuple1()
        .reduce()
        .stop();
      expectExec(await scan(w.bytes()), 'os.system');
    });

    it('STRING / BINSTRING / SHORT_BINSTRING / UNICODE operands', async () => {
      const variants = [
        PickleWriter.create().proto(4).string("'os'").string("'system'"),
        PickleWriter.create().proto(4).binString('os').binString('system'),
        PickleWriter.create()
          .proto(4)
          .shortBinString('os')
          .shortBinString('system'),
        PickleWriter.create().proto(4).unicode('os').unicode('sys\\u0074em'),
      ];
      for (const w of variants)
        expectExec(
          await scan(
            w.raw(0x93).shortUnicode('id').tuple1().reduce().stop().bytes(),
          ),
          'os.system',
        );
    });

    it('DUP/POP interleaving around the operands', async () => {
      const w = PickleWriter.create()
        .proto(4)
        .shortUnicode('torch')
        .pop()
        .shortUnicode('os')
        .dup()
        .dup()
        .pop()
        .pop();
      w.shortUnicode('_rebuild_tensor')
        .pop()
        .shortUnicode('system')
        .raw(0x93)
        .shortUnicode('id')
        .tuple1()
        .reduce()
        .stop();
      expectExec(await scan(w.bytes()), 'os.system');
    });

    it('missing memo key right after the call: the payload already ran (GHSA-9gvj-pp9x-gcfr class)', async () => {
      const w = PickleWriter.create()
        .proto(4)
        .call('os', 'system', 'id')
        .binGet(200)
        .stop();
      const result = await scan(w.bytes());
      expectExec(result, 'os.system');
      expectStruct(result, 'missing-memo');
    });

    it('allowlisted decoy strings next to the real operands', async () => {
      const w = PickleWriter.create()
        .proto(4)
        .shortUnicode('collections')
        .shortUnicode('OrderedDict')
        .pop()
        .pop();
      w.call('builtins', 'exec', 'print(1)')
        .shortUnicode('torch._utils')
        .pop()
        .stop();
      expectExec(await scan(w.bytes()), 'builtins.exec');
    });

    it('flooding the memo past its retention budget does not hide memo-sourced operands', async () => {
      const head = PickleWriter.create()
        .proto(4)
        .shortUnicode('os')
        .memoize()
        .pop()
        .shortUnicode('system')
        .memoize()
        .pop();
      const flood = Buffer.from(']\x940'.repeat(520_000), 'latin1'); // EMPTY_LIST, MEMOIZE, POP
      const tail = PickleWriter.create()
        .binGet(0)
        .binGet(1)
        .raw(0x93)
        .shortUnicode('id')
        .tuple1()
        .reduce()
        .stop();
      expectExec(
        await scan(Buffer.concat([head.bytes(), flood, tail.bytes()])),
        'os.system',
      );
    }, 30_000);

    it('STACK_GLOBAL on values that are not strings cannot hide: unresolved import is blocking', async () => {
      const w = PickleWriter.create().proto(4).int(1).int(2).raw(0x93).stop();
      const result = await scan(w.bytes());
      expect(blocking(result).map(f => f.ruleId)).toEqual(
        expect.arrayContaining(['PICKLE-GLOBAL-IMPORT', 'PICKLE-STRUCT']),
      );
    });
  });

  describe('names resolved the way find_class does', () => {
    it.each([
      ['__builtin__', 'eval', 'builtins.eval'],
      ['posix', 'system', 'os.system'],
      ['nt', 'system', 'os.system'],
      ['_operator', 'attrgetter', 'operator.attrgetter'],
      ['_io', 'FileIO', 'io.FileIO'],
      ['_pickle', 'loads', 'pickle.loads'],
      ['_posixsubprocess', 'fork_exec', '_posixsubprocess.fork_exec'],
      ['commands', 'getoutput', 'subprocess.getoutput'],
    ])('C and Python 2 alias %s.%s is %s', async (module, name, symbol) => {
      expectExec(
        await scan(
          PickleWriter.create()
            .proto(2)
            .call(module, name, 'x', 'GLOBAL')
            .stop()
            .bytes(),
        ),
        symbol,
      );
    });

    it('dotted name through a harmless module: pathlib + os.system', async () => {
      expectExec(
        await scan(callPayload('pathlib', 'os.system', 'id', 4)),
        'os.system',
      );
    });

    it('dotted name through an allowlisted module: torch + os.system, collections + OrderedDict.__init__', async () => {
      expectExec(
        await scan(callPayload('torch', 'os.system', 'id', 4)),
        'os.system',
      );
      const result = await scan(
        PickleWriter.create()
          .proto(4)
          .stackGlobal('collections', 'OrderedDict.fromkeys')
          .stop()
          .bytes(),
      );
      expectImport(result, 'collections.OrderedDict.fromkeys');
    });

    it('submodule of a dangerous package: asyncio.unix_events (CVE-2025-10157)', async () => {
      const w = PickleWriter.create()
        .proto(4)
        .stackGlobal('asyncio.unix_events', '_UnixSubprocessTransport')
        .emptyTuple()
        .newobj()
        .stop();
      expectExec(
        await scan(w.bytes()),
        'asyncio.unix_events._UnixSubprocessTransport',
      );
    });
  });

  describe('gadget families', () => {
    it.each([
      ['pip', 'main', 'CVE-2025-1716'],
      ['pkgutil', 'resolve_name', 'GHSA-vvpj-8cmc-gx39'],
      ['pydoc', 'locate', 'import trampoline'],
      ['importlib', 'import_module', 'import trampoline'],
      ['operator', 'methodcaller', 'GHSA-m273-6v24-x4m4'],
      ['operator', 'itemgetter', 'GHSA-955r-x9j8-7rhh'],
      ['functools', 'reduce', 'attribute trampoline'],
      ['types', 'FunctionType', 'code objects'],
      ['marshal', 'loads', 'code objects'],
      ['cloudpickle.cloudpickle', '_make_function', 'code objects'],
      ['timeit', 'timeit', 'GHSA-46h3-79wf-xr6c'],
      ['cProfile', 'run', 'GHSA-46h3-79wf-xr6c'],
      ['profile', 'run', 'GHSA-46h3-79wf-xr6c'],
      ['trace', 'Trace', 'GHSA-4675-36f9-wf6r'],
      ['bdb', 'Bdb', 'GHSA-4675-36f9-wf6r'],
      ['pdb', 'run', 'GHSA-4675-36f9-wf6r'],
      ['code', 'InteractiveInterpreter', 'exec by string'],
      ['doctest', 'debug_script', 'GHSA-4675-36f9-wf6r'],
      ['runpy', 'run_module', 'exec by string'],
      ['numpy.testing._private.utils', 'runstring', 'exec by string'],
      ['numpy.f2py.crackfortran', 'getlincoef', 'fickling #210'],
      ['pty', 'spawn', 'process execution'],
      ['uuid', '_get_command_stdout', 'process execution'],
      ['multiprocessing.util', 'spawnv_passfds', 'process execution'],
      ['asyncio', 'create_subprocess_shell', 'process execution'],
      ['ensurepip', '_run_pip', 'GHSA-vqmv-47xg-9wpr'],
      ['venv', 'create', 'GHSA-vqmv-47xg-9wpr'],
      ['torch.utils.collect_env', 'run', 'process execution'],
      ['torch._inductor.codecache', 'compile_file', 'process execution'],
      ['builtins', 'open', 'file access'],
      ['io', 'FileIO', 'CVE-2025-10155'],
      ['codecs', 'open', 'file access'],
      ['logging', 'FileHandler', 'file access'],
      ['shutil', 'copyfile', 'file access'],
      ['distutils.file_util', 'write_file', 'CVE-2025-10156'],
      ['urllib.request', 'urlopen', 'GHSA-hgrh-qx5j-jfwx'],
      ['http.client', 'HTTPSConnection', 'GHSA-hgrh-qx5j-jfwx'],
      ['requests', 'get', 'GHSA-hgrh-qx5j-jfwx'],
      ['aiohttp', 'request', 'GHSA-hgrh-qx5j-jfwx'],
      ['ssl', 'get_server_certificate', 'GHSA-hgrh-qx5j-jfwx'],
      ['socket', 'socket', 'network'],
      ['webbrowser', 'open', 'network'],
      ['ctypes', 'CDLL', 'native code'],
      ['torch', 'load', 'nested loader'],
      ['torch.storage', '_load_from_bytes', 'nested loader'],
      ['numpy', 'load', 'nested loader'],
      ['joblib', 'load', 'nested loader'],
      ['dill', 'loads', 'nested loader'],
      ['picklescan.scanner', 'scan_pickle_bytes', 'scanner import'],
      ['modelscan.modelscan', 'ModelScan', 'scanner import'],
      ['fickling', 'load', 'scanner import'],
      ['idlelib.pyshell', 'ModifiedInterpreter', 'GHSA-r8g5-cgf2-4m4m'],
    ])('%s.%s (%s) is PICKLE-EXEC', async (module, name) => {
      expectExec(
        await scan(
          PickleWriter.create().proto(4).call(module, name, 'x').stop().bytes(),
        ),
        `${module}.${name}`,
      );
    });

    it('getattr(builtins, "eval") and getattr(__import__("os"), "system") resolve to the real target', async () => {
      const w = PickleWriter.create().proto(4);
      w.stackGlobal('builtins', 'getattr')
        .stackGlobal('builtins', '__import__')
        .shortUnicode('os')
        .tuple1()
        .reduce();
      w.shortUnicode('system')
        .tuple2()
        .reduce()
        .shortUnicode('id')
        .tuple1()
        .reduce()
        .stop();
      const result = await scan(w.bytes());
      expectExec(result, 'builtins.getattr');
      expectExec(result, 'os.system');
      expect(
        result.findings.find(
          f => f.evidence.symbol === 'os.system' && f.ruleId === 'PICKLE-EXEC',
        )?.evidence.via,
      ).toBe('builtins.getattr');
    });

    it('functools.partial(os.system, "id") then called: the passed callable is reported', async () => {
      const w = PickleWriter.create()
        .proto(4)
        .stackGlobal('functools', 'partial')
        .stackGlobal('os', 'system')
        .shortUnicode('id');
      w.tuple2().reduce().emptyTuple().reduce().stop();
      const result = await scan(w.bytes());
      expectExec(result, 'functools.partial');
      expectExec(result, 'os.system');
    });

    it('operator.attrgetter chain applied to an imported module', async () => {
      const w = PickleWriter.create()
        .proto(4)
        .stackGlobal('operator', 'attrgetter')
        .shortUnicode('system')
        .tuple1()
        .reduce();
      w.stackGlobal('importlib', 'import_module')
        .shortUnicode('os')
        .tuple1()
        .reduce()
        .tuple1()
        .reduce()
        .stop();
      const result = await scan(w.bytes());
      expectExec(result, 'operator.attrgetter');
      expectExec(result, 'importlib.import_module');
    });

    it('nested pickle.loads(b"...") is walked and its payload reported (GHSA-84r2-jw7c-4r5q)', async () => {
      const inner = callPayload('os', 'system', 'id', 4);
      const outer = PickleWriter.create()
        .proto(4)
        .stackGlobal('pickle', 'loads')
        .shortBinBytes(inner)
        .tuple1()
        .reduce()
        .stop();
      const result = await scan(outer.bytes());
      expectExec(result, 'pickle.loads');
      expectExec(result, 'os.system');
      expect(
        result.findings.find(f => f.evidence.symbol === 'os.system')?.evidence
          .nested,
      ).toBe(1);
    });

    it('nested payload encoded with _codecs.encode in protocol 2 is walked too', async () => {
      const inner = Buffer.from(
        PickleWriter.create()
          .proto(2)
          .call('os', 'system', 'id', 'GLOBAL')
          .stop()
          .bytes(),
      ).toString('latin1');
      const w = PickleWriter.create()
        .proto(2)
        .global('_pickle', 'loads')
        .global('_codecs', 'encode');
      w.binUnicode(inner)
        .binUnicode('latin1')
        .tuple2()
        .reduce()
        .tuple1()
        .reduce()
        .stop();
      const result = await scan(w.bytes());
      expectExec(result, 'pickle.loads');
      expectExec(result, 'os.system');
      expect(result.findings.map(f => f.evidence.symbol)).not.toContain(
        '_codecs.encode',
      );
    });

    it('nested loader bytes that are not a pickle (an object .npy) are handed back to the engine', async () => {
      const inner = PickleWriter.create()
        .proto(2)
        .call('os', 'system', 'id', 'GLOBAL')
        .stop()
        .bytes();
      const header = `${"{'descr': '|O', 'fortran_order': False, 'shape': (1,), }".padEnd(
        117,
        ' ',
      )}\n`;
      const npy = Buffer.concat([
        Buffer.from('\x93NUMPY\x01\x00\x76\x00', 'latin1'),
        Buffer.from(header, 'latin1'),
        inner,
      ]);
      const outer = PickleWriter.create()
        .proto(4)
        .stackGlobal('numpy', 'load')
        .binBytes(npy)
        .tuple1()
        .reduce()
        .stop();
      const result = await scan(outer.bytes());
      expectExec(result, 'numpy.load');
      expectExec(result, 'os.system');
      const nested = result.findings.find(
        f => f.ruleId === 'NUMPY-OBJECT-ARRAY',
      );
      expect(nested?.location.entry?.[0]).toMatch(/^numpy\.load@\d+$/);
    });

    it('numpy.size + BUILD overwriting __builtins__ (allowlisted-name abuse)', async () => {
      const w = PickleWriter.create()
        .proto(4)
        .stackGlobal('numpy', 'size')
        .emptyDict()
        .shortUnicode('__builtins__')
        .stackGlobal('builtins', 'eval')
        .setItem();
      w.build().stop();
      const result = await scan(w.bytes());
      expect(result.findings).toContainEqual(
        expect.objectContaining({
          ruleId: 'PICKLE-STATE-TAMPER',
          severity: 'critical',
        }),
      );
    });

    it('BUILD state setting __reduce__ on an OrderedDict instance', async () => {
      const w = PickleWriter.create()
        .proto(4)
        .stackGlobal('collections', 'OrderedDict')
        .emptyTuple()
        .reduce();
      w.emptyDict().shortUnicode('__reduce__').none().setItem().build().stop();
      const result = await scan(w.bytes());
      expect(result.findings).toContainEqual(
        expect.objectContaining({
          ruleId: 'PICKLE-STATE-TAMPER',
          evidence: expect.objectContaining({ keys: ['__reduce__'] }),
        }),
      );
    });

    it('EXT codes from the copyreg registry cannot be resolved and block', async () => {
      const result = await scan(
        PickleWriter.create()
          .proto(2)
          .raw(0x82, 1)
          .emptyTuple()
          .reduce()
          .stop()
          .bytes(),
      );
      expect(blocking(result).map(f => f.ruleId)).toContain(
        'PICKLE-GLOBAL-IMPORT',
      );
    });
  });

  describe('stream level', () => {
    const benign = () =>
      PickleWriter.create().proto(4).emptyDict().stop().bytes();
    const payload = () => callPayload('os', 'system', 'id', 4);

    it('payload in the second of several concatenated pickles', async () => {
      expectExec(
        await scan(concatBytes(benign(), benign(), payload())),
        'os.system',
      );
    });

    it('payload after junk between streams', async () => {
      const result = await scan(
        concatBytes(benign(), Buffer.from('\x00\x00JUNK\xff'), payload()),
      );
      expectExec(result, 'os.system');
      expectStruct(result, 'trailing-data');
    });

    it('payload after an invalid opcode that breaks the first stream', async () => {
      const broken = PickleWriter.create()
        .proto(4)
        .emptyDict()
        .raw(0xff)
        .bytes();
      expectExec(await scan(concatBytes(broken, payload())), 'os.system');
    });

    it('payload before a broken tail (truncated after the call)', async () => {
      const w = PickleWriter.create()
        .proto(2)
        .call('os', 'system', 'id', 'GLOBAL')
        .raw('X', 0xff, 0xff, 0, 0);
      const result = await scan(w.bytes());
      expectExec(result, 'os.system');
      expectStruct(result, 'truncated');
    });

    it('payload after a PyTorch legacy header (ModelScan reads only the first pickle)', async () => {
      const magic = PickleWriter.create()
        .proto(2)
        .raw(
          0x8a,
          10,
          0x6c,
          0xfc,
          0x9c,
          0x46,
          0xf9,
          0x20,
          0x6a,
          0xa8,
          0x50,
          0x19,
        )
        .stop()
        .bytes();
      const version = PickleWriter.create().proto(2).int(1001).stop().bytes();
      const sysInfo = PickleWriter.create().proto(2).emptyDict().stop().bytes();
      const evil = PickleWriter.create()
        .proto(2)
        .call('os', 'system', 'id', 'GLOBAL')
        .stop()
        .bytes();
      const keys = PickleWriter.create().proto(2).emptyList().stop().bytes();
      const file = concatBytes(
        magic,
        version,
        sysInfo,
        evil,
        keys,
        new Uint8Array(64).fill(0x52),
      );
      const result = await scan(file, 'pytorch_model.bin');
      expectExec(result, 'os.system');
      expect(result.files[0].formats).toContain('pytorch-legacy');
      expect(result.findings.filter(f => f.ruleId === 'PICKLE-STRUCT')).toEqual(
        [],
      ); // raw storages are not walked
    });

    it('lying FRAME length', async () => {
      const body = PickleWriter.create()
        .call('os', 'system', 'id')
        .stop()
        .bytes();
      const result = await scan(
        concatBytes(PickleWriter.create().proto(4).frame(3).bytes(), body),
      );
      expectExec(result, 'os.system');
      expectStruct(result, 'frame');
    });

    it('misplaced PROTO after the payload', async () => {
      const w = PickleWriter.create()
        .proto(4)
        .call('os', 'system', 'id')
        .proto(4)
        .stop();
      const result = await scan(w.bytes());
      expectExec(result, 'os.system');
      expectStruct(result, 'proto');
    });

    it('protocol 0 pickle without magic under a .bin / extension-less name', async () => {
      const w = PickleWriter.create()
        .global('os', 'system')
        .mark()
        .raw("S'id'\n")
        .tuple()
        .reduce()
        .stop();
      for (const name of [
        'weights.bin',
        'model.ckpt',
        'data',
        'constants.pkl',
        'archive/data.pkl',
      ]) {
        expectExec(await scan(w.bytes(), name), 'os.system');
      }
    });
  });

  it('the allowlist-first design reports an unknown import even when it is not called', async () => {
    const result = await scan(
      PickleWriter.create()
        .proto(4)
        .stackGlobal('innocent_looking', 'helper')
        .stop()
        .bytes(),
    );
    expectImport(result, 'innocent_looking.helper');
    expect(
      summarise(result).some(line =>
        line.includes('not on the trusted allowlist'),
      ),
    ).toBe(true);
  });

  it('policy trustedGlobals (module.name and module.*) silence a known in-house class', async () => {
    const bytes = PickleWriter.create()
      .proto(4)
      .stackGlobal('acme.models', 'Net')
      .emptyTuple()
      .newobj()
      .stackGlobal('acme.layers', 'Block')
      .pop()
      .stop()
      .bytes();
    const result = await scanWithPickleReaders(bytes, 'm.pkl', {
      readerOptions: { trustedGlobals: ['acme.models.Net', 'acme.layers.*'] },
    });
    expect(blocking(result)).toEqual([]);
  });
});
