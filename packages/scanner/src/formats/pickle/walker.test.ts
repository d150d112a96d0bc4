/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*", "fc.assert"] }] */
import { OPCODE_COUNT, OPCODES } from './opcodes';
import { walkPickleStreams } from './streams';
import { PickleWriter, concatBytes } from './testing/pickleWriter';
import { REFERENCE_PICKLES } from './testing/referencePickles';
import {
  isContainer,
  type CallRef,
  type GlobalRef,
  type PyValue,
} from './values';
import {
  createBudget,
  MAX_NESTING_DEPTH,
  MAX_STACK_HEIGHT,
  walkStream,
  type StructuralAnomaly,
  type WalkEvents,
} from './walker';

class Recorder implements WalkEvents {
  globals: GlobalRef[] = [];
  calls: CallRef[] = [];
  builds: Array<{ target: PyValue; state: PyValue }> = [];
  anomalies: StructuralAnomaly[] = [];
  onGlobal(ref: GlobalRef) {
    this.globals.push(ref);
  }
  onCall(call: CallRef) {
    this.calls.push(call);
  }
  onBuild(target: PyValue, state: PyValue) {
    this.builds.push({ target, state });
  }
  onAnomaly(anomaly: StructuralAnomaly) {
    this.anomalies.push(anomaly);
  }
  get symbols() {
    return this.globals.map(g => `${g.module}.${g.name}`);
  }
  get kinds() {
    return this.anomalies.map(a => a.kind);
  }
}

const budget = (maxOps = 1e7) => createBudget(maxOps, () => undefined);

function walk(bytes: Uint8Array) {
  const events = new Recorder();
  const result = walkStream(bytes, 0, events, budget());
  return { events, result };
}

/** First argument of the first call, as the walker saw it. */
function firstArgument(bytes: Uint8Array): PyValue | undefined {
  const { events } = walk(bytes);
  const args = events.calls[0]?.args;
  return isContainer(args) ? args.items[0] : undefined;
}

describe('walkStream', () => {
  it('knows the 68 opcodes of protocols 0-5', () => {
    expect(OPCODE_COUNT).toBe(68);
    expect(OPCODES.filter(Boolean)).toHaveLength(68);
  });

  it.each(REFERENCE_PICKLES.map(ref => [ref.protocol, ref] as const))(
    'walks CPython protocol %i output to STOP with the same opcode count as pickletools',
    (protocol, reference) => {
      const events = new Recorder();
      const walkBudget = budget();
      const result = walkStream(
        Buffer.from(reference.hex, 'hex'),
        0,
        events,
        walkBudget,
      );
      expect(result).toMatchObject({
        stopped: true,
        end: reference.hex.length / 2,
      });
      expect(result.protocol).toBe(protocol >= 2 ? protocol : undefined);
      expect(walkBudget.opsUsed).toBe(reference.ops);
      expect(events.anomalies).toEqual([]);
      expect(new Set(events.symbols)).toEqual(
        new Set(
          [
            ...(protocol < 4 ? ['builtins.set', 'builtins.frozenset'] : []),
            ...(protocol < 5 ? ['builtins.bytearray'] : []),
            ...(protocol < 3 ? ['_codecs.encode'] : []),
            'collections.OrderedDict',
            'builtins.complex',
          ].map(s =>
            protocol < 3 ? s.replace('builtins.', '__builtin__.') : s,
          ),
        ),
      );
    },
  );

  describe('protocol 0 text opcodes', () => {
    const callWith = (argument: string) =>
      PickleWriter.create()
        .global('os', 'system')
        .mark()
        .raw(argument)
        .tuple()
        .reduce()
        .stop()
        .bytes();

    it('decodes STRING quotes and escapes', () => {
      expect(firstArgument(callWith("S'it\\'s \\x41\\n\\101'\n"))).toBe(
        "it's A\nA",
      );
      expect(firstArgument(callWith('S"double"\n'))).toBe('double');
    });

    it('decodes UNICODE raw-unicode-escape', () => {
      expect(firstArgument(callWith('Vcaf\\u00e9 \\U0001F600\n'))).toBe(
        'café 😀',
      );
    });

    it('decodes INT, LONG and booleans written as INT', () => {
      expect(firstArgument(callWith('I42\n'))).toBe(42);
      expect(firstArgument(callWith('I01\n'))).toBe(true);
      expect(firstArgument(callWith('L-7L\n'))).toBe(-7);
    });

    it('reports a STRING without quotes as malformed', () => {
      const { result } = walk(callWith('Snot quoted\n'));
      expect(result.broken?.kind).toBe('bad-argument');
    });

    it('reads GLOBAL and INST module/name lines', () => {
      const { events } = walk(
        PickleWriter.create()
          .mark()
          .raw("S'x'\n")
          .inst('subprocess', 'Popen')
          .stop()
          .bytes(),
      );
      expect(events.symbols).toEqual(['subprocess.Popen']);
      expect(events.calls[0]).toMatchObject({ opcode: 'INST' });
    });
  });

  it('decodes every binary string and bytes opcode', () => {
    const w = PickleWriter.create().proto(5).stackGlobal('m', 'f').mark();
    w.binString('bs')
      .shortBinString('sbs')
      .binUnicode('bu')
      .binUnicode8('bu8')
      .shortUnicode('sbu');
    w.binBytes(Uint8Array.of(1))
      .shortBinBytes(Uint8Array.of(2))
      .binBytes8(Uint8Array.of(3))
      .byteArray8(Uint8Array.of(4));
    const { events, result } = walk(w.tuple().reduce().stop().bytes());
    expect(result.stopped).toBe(true);
    const args = events.calls[0].args;
    expect(isContainer(args) && args.items.slice(0, 5)).toEqual([
      'bs',
      'sbs',
      'bu',
      'bu8',
      'sbu',
    ]);
    expect(
      isContainer(args) &&
        args.items.slice(5).map(item => (item as { data: Uint8Array }).data[0]),
    ).toEqual([1, 2, 3, 4]);
  });

  it("decodes LONG1/LONG4 as little-endian two's complement", () => {
    const w = PickleWriter.create().proto(2).global('m', 'f').mark();
    w.raw(0x8a, 2, 0xff, 0x7f)
      .raw(0x8a, 1, 0xff)
      .raw(0x8b, 1, 0, 0, 0, 0x05)
      .raw(0x8a, 0);
    const { events } = walk(w.tuple().reduce().stop().bytes());
    const args = events.calls[0].args;
    expect(isContainer(args) && args.items).toEqual([32767, -1, 5, 0]);
  });

  it('reports each call shape with its callee and arguments', () => {
    const w = PickleWriter.create().proto(4);
    w.stackGlobal('a', 'Reduce').shortUnicode('r').tuple1().reduce().pop();
    w.stackGlobal('a', 'NewObj').shortUnicode('n').tuple1().newobj().pop();
    w.stackGlobal('a', 'NewObjEx')
      .shortUnicode('x')
      .tuple1()
      .emptyDict()
      .newobjEx()
      .pop();
    w.mark().stackGlobal('a', 'Obj').shortUnicode('o').obj().pop();
    w.mark().shortUnicode('i').inst('a', 'Inst').emptyDict().build().stop();
    const { events, result } = walk(w.bytes());
    expect(result.stopped).toBe(true);
    expect(
      events.calls.map(call => [call.opcode, (call.callee as GlobalRef).name]),
    ).toEqual([
      ['REDUCE', 'Reduce'],
      ['NEWOBJ', 'NewObj'],
      ['NEWOBJ_EX', 'NewObjEx'],
      ['OBJ', 'Obj'],
      ['INST', 'Inst'],
    ]);
    expect(events.builds).toHaveLength(1);
  });

  it('resolves STACK_GLOBAL operands from the memo (PUT, BINPUT, LONG_BINPUT, MEMOIZE + GET variants)', () => {
    const cases = [
      PickleWriter.create()
        .proto(4)
        .shortUnicode('os')
        .put(1)
        .pop()
        .shortUnicode('system')
        .binPut(2)
        .pop()
        .get(1)
        .binGet(2),
      PickleWriter.create()
        .proto(4)
        .shortUnicode('os')
        .longBinPut(70000)
        .pop()
        .shortUnicode('system')
        .memoize()
        .pop()
        .longBinGet(70000)
        .binGet(1),
    ];
    for (const w of cases) {
      const { events, result } = walk(
        w.raw(0x93).emptyTuple().reduce().stop().bytes(),
      );
      expect(result.stopped).toBe(true);
      expect(events.symbols).toEqual(['os.system']);
    }
  });

  it('follows DUP and POP_MARK without losing track of operands', () => {
    const w = PickleWriter.create()
      .proto(4)
      .shortUnicode('os')
      .dup()
      .pop()
      .mark()
      .shortUnicode('decoy')
      .popMark()
      .shortUnicode('system');
    const { events } = walk(w.raw(0x93).emptyTuple().reduce().stop().bytes());
    expect(events.symbols).toEqual(['os.system']);
  });

  it('tracks sets, frozensets, lists and dicts built by every container opcode', () => {
    const w = PickleWriter.create().proto(4).stackGlobal('m', 'f').mark();
    w.raw(0x8f).mark().int(1).raw(0x90); // EMPTY_SET + ADDITEMS
    w.mark().int(2).raw(0x91); // FROZENSET
    w.mark().int(3).raw('l').int(4).append().mark().int(5).raw('e'); // LIST, APPEND, APPENDS
    w.mark()
      .shortUnicode('k')
      .int(6)
      .raw('d')
      .shortUnicode('k2')
      .int(7)
      .setItem(); // DICT, SETITEM
    const { events, result } = walk(w.tuple().reduce().stop().bytes());
    expect(result.stopped).toBe(true);
    const args = events.calls[0].args;
    expect(
      isContainer(args) &&
        args.items.map(item =>
          isContainer(item) ? [item.kind, item.size] : item,
        ),
    ).toEqual([
      ['set', 1],
      ['frozenset', 1],
      ['list', 3],
      ['dict', 4],
    ]);
  });

  it('reads persistent IDs, EXT codes and out-of-band buffers', () => {
    const w = PickleWriter.create().proto(5).mark();
    w.raw('P', 'storage0', '\n')
      .shortUnicode('pid')
      .raw('Q')
      .raw(0x82, 1)
      .raw(0x83, 2, 0)
      .raw(0x84, 3, 0, 0, 0);
    w.raw(0x97).raw(0x98).tuple().stop();
    const { events, result } = walk(w.bytes());
    expect(result.stopped).toBe(true);
    expect(events.symbols).toEqual([
      'copyreg._extension_registry.1',
      'copyreg._extension_registry.2',
      'copyreg._extension_registry.3',
    ]);
    expect(events.kinds).toEqual(['out-of-band-buffer']);
  });

  it('keeps FRAMEd protocol 4 streams intact and checks frame lengths', () => {
    const body = PickleWriter.create().shortUnicode('a').stop().bytes();
    const good = concatBytes(
      PickleWriter.create().proto(4).frame(body.length).bytes(),
      body,
    );
    expect(walk(good).events.anomalies).toEqual([]);
    const lying = concatBytes(
      PickleWriter.create()
        .proto(4)
        .frame(body.length - 2)
        .bytes(),
      body,
    );
    expect(walk(lying).events.kinds).toContain('frame');
    const beyond = concatBytes(
      PickleWriter.create().proto(4).frame(1000).bytes(),
      body,
    );
    expect(walk(beyond).events.kinds).toContain('frame');
  });

  it.each([
    ['truncated', PickleWriter.create().proto(2).shortUnicode('a').bytes()],
    ['invalid-opcode', PickleWriter.create().proto(2).raw(0xff).bytes()],
    ['missing-memo', PickleWriter.create().proto(2).binGet(9).stop().bytes()],
    ['stack-underflow', PickleWriter.create().proto(2).reduce().stop().bytes()],
    [
      'stack-underflow',
      PickleWriter.create()
        .proto(2)
        .shortUnicode('below')
        .mark()
        .pop()
        .pop()
        .stop()
        .bytes(),
    ],
    [
      'stop-with-stack',
      PickleWriter.create().proto(2).none().none().stop().bytes(),
    ],
    ['proto', PickleWriter.create().proto(2).proto(2).none().stop().bytes()],
    ['proto', PickleWriter.create().none().proto(2).stop().bytes()],
    ['proto', PickleWriter.create().proto(9).none().stop().bytes()],
    [
      'protocol-mismatch',
      PickleWriter.create().proto(2).shortUnicode('needs p4').stop().bytes(),
    ],
    ['protocol-mismatch', PickleWriter.create().raw(0x88).stop().bytes()],
    ['bad-argument', PickleWriter.create().raw('I12x\n').stop().bytes()],
  ])('reports %s', (kind, bytes) => {
    expect(walk(bytes).events.kinds).toContain(kind);
  });

  it('does not let values below a MARK be popped (CPython fences them)', () => {
    const { result } = walk(
      PickleWriter.create()
        .proto(2)
        .shortUnicode('x')
        .mark()
        .reduce()
        .stop()
        .bytes(),
    );
    expect(result.broken?.kind).toBe('stack-underflow');
  });

  it('stops at the op budget and says so', () => {
    const w = PickleWriter.create().proto(2).emptyList();
    for (let i = 0; i < 100; i++) w.int(i).append();
    const result = walkStream(w.stop().bytes(), 0, new Recorder(), budget(50));
    expect(result).toMatchObject({ stopped: false, limitReached: true });
  });

  it('detects reference expansion bombs', () => {
    const w = PickleWriter.create().proto(2).emptyList().binPut(0);
    for (let level = 1; level < 40; level++) {
      w.mark()
        .binGet(level - 1)
        .binGet(level - 1)
        .binGet(level - 1)
        .raw('l')
        .binPut(level);
    }
    expect(walk(w.stop().bytes()).events.kinds).toContain('expansion-bomb');
  });

  it('walks several pickles in one file and reports trailing junk', () => {
    const first = PickleWriter.create().proto(2).none().stop().bytes();
    const second = PickleWriter.create()
      .proto(4)
      .call('os', 'system', 'id', 'GLOBAL')
      .stop()
      .bytes();
    const events = new Recorder();
    const result = walkPickleStreams(
      concatBytes(first, second, Buffer.from('\x00\x01junk')),
      events,
      budget(),
    );
    expect(result.streams).toHaveLength(2);
    expect(events.symbols).toEqual(['os.system']);
    expect(events.kinds).toEqual(['trailing-data']);
  });

  describe('nesting depth (issue #10)', () => {
    const nestedLists = (levels: number) =>
      concatBytes(
        Buffer.from('\x80\x02', 'latin1'),
        Buffer.alloc(levels, ']'),
        Buffer.alloc(levels - 1, 'a'),
        Buffer.from('.'),
      );
    const nestedTuples = (levels: number) =>
      concatBytes(
        Buffer.from('\x80\x02', 'latin1'),
        Buffer.alloc(levels, '('),
        Buffer.alloc(levels, 't'),
        Buffer.from('.'),
      );
    const nesting = (events: Recorder) =>
      events.anomalies.filter(a => a.kind === 'nesting-depth');

    it('walks a million levels of MARK + TUPLE iteratively: the depth is reported with its limit', () => {
      const { events, result } = walk(nestedTuples(1_000_000));
      const found = nesting(events);
      expect(found).toHaveLength(1);
      expect(found[0].detail).toEqual({
        depth: MAX_NESTING_DEPTH + 1,
        limit: MAX_NESTING_DEPTH,
      });
      expect(found[0].message).toContain('maxPickleNesting');
      // A million open MARKs also outgrow the stack bound: the stream is not followed past it.
      expect(result.broken?.detail).toEqual({
        height: MAX_STACK_HEIGHT,
        limit: MAX_STACK_HEIGHT,
      });
    });

    it('stops a million EMPTY_LISTs (nesting built outside in) at the stack bound', () => {
      const { events, result } = walk(nestedLists(1_000_000));
      expect(result.stopped).toBe(false);
      expect(result.broken?.kind).toBe('stack-height');
      expect(events.kinds).toEqual(['stack-height']);
    });

    it('reports deep nesting built inside out with a constant stack (memo + POP)', () => {
      const w = PickleWriter.create().proto(2).emptyList().binPut(0).pop();
      for (let level = 1; level <= 5000; level++)
        w.emptyList()
          .longBinGet(level - 1)
          .append()
          .longBinPut(level)
          .pop();
      const { events, result } = walk(w.none().stop().bytes());
      expect(result.stopped).toBe(true);
      expect(nesting(events).map(a => a.detail)).toEqual([
        { depth: MAX_NESTING_DEPTH + 1, limit: MAX_NESTING_DEPTH },
      ]);
    });

    it('accepts nesting up to the limit, which is configurable', () => {
      expect(nesting(walk(nestedLists(MAX_NESTING_DEPTH)).events)).toEqual([]);
      expect(nesting(walk(nestedTuples(MAX_NESTING_DEPTH)).events)).toEqual([]);
      const events = new Recorder();
      walkStream(
        nestedLists(12),
        0,
        events,
        createBudget(1e6, () => undefined, 10),
      );
      expect(nesting(events).map(a => a.detail)).toEqual([
        { depth: 11, limit: 10 },
      ]);
    });

    it('counts depth through dict values and memo references', () => {
      const w = PickleWriter.create().proto(2).emptyDict().binPut(0);
      for (let level = 1; level <= 20; level++)
        w.emptyDict()
          .shortUnicode('child')
          .binGet(level - 1)
          .setItem()
          .binPut(level);
      const events = new Recorder();
      walkStream(
        w.stop().bytes(),
        0,
        events,
        createBudget(1e6, () => undefined, 15),
      );
      expect(nesting(events).map(a => a.detail)).toEqual([
        { depth: 16, limit: 15 },
      ]);
    });

    it('stops following a stream whose stack outgrows the bound', () => {
      const { events, result } = walk(
        concatBytes(
          Buffer.from('\x80\x02', 'latin1'),
          Buffer.alloc(MAX_STACK_HEIGHT + 1, 'N'),
          Buffer.from('.'),
        ),
      );
      expect(result.stopped).toBe(false);
      expect(result.broken?.kind).toBe('stack-height');
      expect(events.kinds).toContain('stack-height');
    });
  });
});
