import { HIGHEST_PROTOCOL, OPCODES, opcodeName } from './opcodes';
import {
  isChunked,
  WALK_WINDOW_BYTES,
  type ChunkedBytes,
  type PickleBytes,
} from './pickleInput';
import {
  asciiOrDecode,
  decodeQuotedString,
  decodeRawUnicodeEscape,
} from './textArguments';
import {
  appendItems,
  EXTENSION_REGISTRY_MODULE,
  isContainer,
  isRef,
  MAX_STRING_CHARS,
  newContainer,
  OPAQUE_BUFFER,
  OPAQUE_FLOAT,
  OPAQUE_INT,
  OPAQUE_NOT_RETAINED,
  OPAQUE_PERSISTENT,
  type CallRef,
  type ContainerKind,
  type ContainerRef,
  type GlobalRef,
  type PyValue,
} from './values';

/** Kinds of structural problems; each is a PICKLE-STRUCT finding. */
export type AnomalyKind =
  | 'truncated'
  | 'invalid-opcode'
  | 'bad-argument'
  | 'frame'
  | 'proto'
  | 'protocol-mismatch'
  | 'missing-memo'
  | 'stack-underflow'
  | 'stop-with-stack'
  | 'expansion-bomb'
  | 'nesting-depth'
  | 'stack-height'
  | 'out-of-band-buffer'
  | 'inline-data'
  | 'trailing-data';

export interface StructuralAnomaly {
  kind: AnomalyKind;
  message: string;
  /** Absolute byte offset of the opcode (or data) concerned. */
  offset: number;
  opcode?: string;
  /** Figures behind the anomaly (e.g. the nesting depth and its limit), for the finding's evidence. */
  detail?: Record<string, number>;
}

/** Raw bytes a writer put inside the stream (joblib's inline arrays) and how to step over them. */
export type InlineData =
  | { kind: 'raw'; length: number; alignmentPrefix: boolean }
  | { kind: 'pickle' }
  | { kind: 'unknown'; reason: string };

/** What the walker reports while it goes. Implementations must not throw (except deadline errors). */
export interface WalkEvents {
  onGlobal(ref: GlobalRef): void;
  onCall(call: CallRef): void;
  onBuild(target: PyValue, state: PyValue, offset: number): void;
  onAnomaly(anomaly: StructuralAnomaly): void;
  /** Asked after each BUILD: does the writer put raw data in the stream here (joblib)? */
  inlineDataAfterBuild?(
    target: PyValue,
    state: PyValue,
  ): InlineData | undefined;
}

/** Shared across every stream of one file so limits apply to the whole file. */
export interface WalkBudget {
  readonly maxOps: number;
  /** Containers (or open MARKs) nested deeper than this are a finding; default MAX_NESTING_DEPTH. */
  readonly maxNestingDepth?: number;
  opsUsed: number;
  checkDeadline(): void;
}

export interface StreamResult {
  start: number;
  /** Offset just past STOP, or where walking stopped. */
  end: number;
  stopped: boolean;
  protocol?: number;
  /** Set when the op budget ran out: the rest of the file was not walked. */
  limitReached?: boolean;
  /** Set when the stream broke (the loader would raise here); already reported unless speculative. */
  broken?: StructuralAnomaly;
}

export interface StreamOptions {
  /** Probing for a stream (sniffing, resynchronising after junk): report nothing structural. */
  speculative?: boolean;
  /** Nesting of inline pickles (joblib object arrays); bounded. */
  inlineDepth?: number;
  /** Window size for a chunked input (default WALK_WINDOW_BYTES); tests use tiny ones. */
  windowBytes?: number;
}

/** Thresholds for expansion bombs: shared references that expand to this many objects. */
export const EXPANSION_BOMB_SIZE = 1e9;
const MAX_INLINE_DEPTH = 4;
/** Memo entries kept in full; real model pickles stay far below (a large torch state_dict: ~10^4). Bench: peak RSS of the 2 M-tuple case. */
export const MEMO_RETAIN_LIMIT = 100_000;
/**
 * Default nesting limit. CPython's pickler recurses once per level and stops at the interpreter's
 * recursion limit (1000 by default), so a deeper pickle was not written by `pickle.dump` with default
 * settings; consumers that recurse over the loaded object (repr, deepcopy, json) crash on it.
 */
export const MAX_NESTING_DEPTH = 1000;
/**
 * Values on the symbolic stack at once; beyond this the stream is not followed. Real pickles stay in
 * the thousands (lists and dicts are written in batches of 1000); the bound keeps a stream of millions
 * of EMPTY_LISTs or MARKs (nesting built outside in) to tens of MB.
 */
export const MAX_STACK_HEIGHT = 1 << 18;
/** Memo keys below this are tracked in a byte array (one byte per key); larger keys in a map. */
const DENSE_MEMO_KEYS = 1 << 24;
/** Shared until the first memo put: sniffing probes create thousands of walkers that memoise nothing. */
const EMPTY_TAGS = new Uint8Array(0);
const MEMO_ABSENT = 0;
const MEMO_KEPT = 1;
const MEMO_DROPPED = 2;
const DEADLINE_CHECK_MASK = (1 << 16) - 1;

/** The opcodes `fastRun` handles, with the protocol that introduced each; 255 for the others. */
const FAST_OPCODES = [
  0x4b, 0x4a, 0x4d, 0x4e, 0x88, 0x89, 0x47, 0x85, 0x86, 0x87, 0x94, 0x71, 0x72,
  0x68, 0x6a, 0x28, 0x8c, 0x58, 0x61, 0x73, 0x29, 0x5d, 0x7d,
];
const FAST_PROTOCOL = new Uint8Array(256).fill(255);
const EMPTY_CONTAINER_KIND: Record<number, ContainerKind> = {
  0x29: 'tuple',
  0x5d: 'list',
  0x7d: 'dict',
};
// Direct bindings: the CommonJS build reads imports through getters, which the hot loop should not pay.
const isContainerValue = isContainer;
const createContainer = newContainer;
const appendToContainer = appendItems;
for (const code of FAST_OPCODES) FAST_PROTOCOL[code] = OPCODES[code]!.protocol;
const MARK = Symbol('mark');

/**
 * Tuples of plain values (no container inside) nest nothing and cannot bomb, so they skip the checks;
 * same shape as newContainer's, so container sites stay monomorphic. Two constructors on purpose:
 * V8 decides per allocation site whether objects are born in the old generation. The tuples made
 * while the memo still keeps everything survive, so their site is pretenured; past the retention
 * limit they die young, and from a site of their own they stay in the young generation (from the
 * same site, millions of dead tuples filled the old generation: 9 full collections and +100 MB
 * peak RSS on the 96 MB bench pickle).
 */
function keptFlatTuple(
  n: number,
  a: PyValue,
  b?: PyValue,
  c?: PyValue,
): ContainerRef {
  let items: PyValue[];
  if (n === 1) items = [a];
  else if (n === 2) items = [a, b as PyValue];
  else items = [a, b as PyValue, c as PyValue];
  return {
    kind: 'tuple',
    items,
    size: n,
    dunderKeys: undefined,
    expandedSize: 1 + n,
    depth: 1,
  };
}

function transientFlatTuple(
  n: number,
  a: PyValue,
  b?: PyValue,
  c?: PyValue,
): ContainerRef {
  let items: PyValue[];
  if (n === 1) items = [a];
  else if (n === 2) items = [a, b as PyValue];
  else items = [a, b as PyValue, c as PyValue];
  return {
    kind: 'tuple',
    items,
    size: n,
    dunderKeys: undefined,
    expandedSize: 1 + n,
    depth: 1,
  };
}

/** isContainer for the hot loop: the kinds of ContainerRef, compared as interned strings. */
function isContainerKind(value: PyValue): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const kind = value.kind;
  return (
    kind === 'tuple' ||
    kind === 'list' ||
    kind === 'dict' ||
    kind === 'set' ||
    kind === 'frozenset'
  );
}

/**
 * Control flow, not errors: thrown when a stream breaks or the budget ends, caught in `run`. Not
 * Error subclasses, so throwing one captures no stack trace (sniffing probes throw thousands).
 */
class StreamBreak {
  constructor(readonly anomaly: StructuralAnomaly) {}
}

class BudgetExhausted {}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

class StreamWalker {
  private pos: number;
  private readonly stack: (PyValue | typeof MARK)[] = [];
  /** Stack indices of open MARKs: values below the innermost one are out of reach (CPython's fence). */
  private readonly marks: number[] = [];
  /**
   * Memo state per key below DENSE_MEMO_KEYS (absent, kept, dropped): one byte per key, so millions
   * of memoised tuples past MEMO_RETAIN_LIMIT cost a byte each and no object.
   */
  private memoTags = EMPTY_TAGS;
  /** Kept values, by key, while keys arrive in order (the pickler's 0, 1, 2...). */
  private readonly memo: PyValue[] = [];
  /** Kept values whose key is out of order or past DENSE_MEMO_KEYS. */
  private readonly memoSparse = new Map<number, PyValue>();
  private memoCount = 0;
  private readonly maxNestingDepth: number;
  private nestingReported = false;
  private protocol: number | undefined;
  private sawFirstOpcode = false;
  private frameEnd = -1;
  private references = 0;
  private ops = 0;
  private bombReported = false;
  private reportedMismatch = false;

  /** The bytes at hand: all of them, or the current window of a chunked source. `pos` is relative to it. */
  private data: Uint8Array;
  /** Absolute offset of `data[0]`. */
  private base = 0;
  /** Absolute end of the input. */
  private readonly total: number;
  private readonly chunked: ChunkedBytes | undefined;
  /** The reusable window buffer of a chunked source that can read into one (`readInto`). */
  private window: Uint8Array | undefined;

  constructor(
    input: PickleBytes,
    private readonly start: number,
    private readonly events: WalkEvents,
    private readonly budget: WalkBudget,
    private readonly options: StreamOptions,
  ) {
    if (isChunked(input)) {
      this.chunked = input;
      this.total = input.size;
      this.data = new Uint8Array(0);
      this.base = start;
      this.pos = 0;
    } else {
      this.chunked = undefined;
      this.total = input.length;
      this.data = input;
      this.pos = start;
    }
    this.maxNestingDepth = budget.maxNestingDepth ?? MAX_NESTING_DEPTH;
  }

  /** Absolute offset of the next byte. */
  private offset(): number {
    return this.base + this.pos;
  }

  /**
   * Moves the window of a chunked source to start at the current position and hold at least `n`
   * bytes (a window's worth when there are that many). False when the input has fewer than `n` left.
   */
  private refill(n: number): boolean {
    if (this.chunked === undefined) return false;
    const from = this.base + this.pos;
    const left = this.total - from;
    if (n > left) return false;
    const length = Math.min(
      Math.max(n, this.options.windowBytes ?? WALK_WINDOW_BYTES),
      left,
    );
    if (from === this.base && length <= this.data.length) return false;
    this.data = this.readWindow(from, length);
    this.base = from;
    this.pos = 0;
    if (this.data.length < n) return false;
    return true;
  }

  /**
   * `length` bytes from `from`: into the walker's own window buffer when the source can fill one
   * (reused window after window) and the bytes fit a window; otherwise a fresh buffer.
   */
  private readWindow(from: number, length: number): Uint8Array {
    const chunked = this.chunked!;
    const windowBytes = this.options.windowBytes ?? WALK_WINDOW_BYTES;
    if (chunked.readInto === undefined || length > windowBytes)
      return chunked.readSync(from, length);
    // Sized to what is left when that is less than a window: sniffing probes near the end stay small.
    if (this.window === undefined || this.window.length < length)
      // A Buffer like readSync's, so the hot loop sees one kind of array.
      this.window = Buffer.allocUnsafe(
        Math.min(windowBytes, Math.max(length, this.total - from)),
      );
    return this.window.subarray(0, chunked.readInto(this.window, from));
  }

  /** Steps over `n` bytes without reading them (raw array data inside a joblib stream). */
  private skip(n: number, at: number, opcode: string): void {
    if (n < 0 || this.base + this.pos + n > this.total)
      this.fail(
        'truncated',
        `${opcode} at offset ${at} needs ${n} bytes but the data ends at ${this.total}`,
        at,
        opcode,
      );
    this.pos += n;
  }

  /** Bytes a value keeps: copied out of a window so that it does not pin the window's buffer. */
  private keepBytes(view: Uint8Array): Uint8Array {
    if (this.chunked === undefined) return view;
    // A copy (Buffer's own slice() would be a view into the window, which the next read overwrites).
    if (view.length * 2 < this.data.length) return new Uint8Array(view);
    // Most of the window: kept as it is, and the next window goes into a new buffer.
    if (this.window !== undefined && view.buffer === this.window.buffer)
      this.window = undefined;
    return view;
  }

  run(): StreamResult {
    try {
      return this.loop();
    } catch (error) {
      if (error instanceof StreamBreak) {
        if (!this.options.speculative) this.events.onAnomaly(error.anomaly);
        return {
          start: this.start,
          end: this.offset(),
          stopped: false,
          protocol: this.protocol,
          broken: error.anomaly,
        };
      }
      if (error instanceof BudgetExhausted) {
        return {
          start: this.start,
          end: this.offset(),
          stopped: false,
          protocol: this.protocol,
          limitReached: true,
        };
      }
      throw error;
    }
  }

  private anomaly(
    kind: AnomalyKind,
    message: string,
    offset: number,
    opcode?: string,
    detail?: Record<string, number>,
  ): void {
    if (!this.options.speculative)
      this.events.onAnomaly(
        detail
          ? { kind, message, offset, opcode, detail }
          : { kind, message, offset, opcode },
      );
  }

  private fail(
    kind: AnomalyKind,
    message: string,
    offset: number,
    opcode?: string,
    detail?: Record<string, number>,
  ): never {
    throw new StreamBreak(
      detail
        ? { kind, message, offset, opcode, detail }
        : { kind, message, offset, opcode },
    );
  }

  // ---- byte readers -------------------------------------------------------------------------

  private need(n: number, at: number, opcode: string): void {
    if (n < 0 || this.pos + n > this.data.length) {
      if (n >= 0 && this.refill(n)) return;
      this.fail(
        'truncated',
        `${opcode} at offset ${at} needs ${n} bytes but the data ends at ${this.total}`,
        at,
        opcode,
      );
    }
  }

  private u8(at: number, opcode: string): number {
    this.need(1, at, opcode);
    return this.data[this.pos++];
  }

  private u16(at: number, opcode: string): number {
    this.need(2, at, opcode);
    const d = this.data;
    const v = d[this.pos] | (d[this.pos + 1] << 8);
    this.pos += 2;
    return v;
  }

  private i32(at: number, opcode: string): number {
    this.need(4, at, opcode);
    const d = this.data;
    const p = this.pos;
    this.pos += 4;
    return d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24);
  }

  private u32(at: number, opcode: string): number {
    return this.i32(at, opcode) >>> 0;
  }

  /** 8-byte length; values beyond 2^53 are approximate, which is fine: they exceed any data. */
  private u64(at: number, opcode: string): number {
    const low = this.u32(at, opcode);
    const high = this.u32(at, opcode);
    return high * 0x1_0000_0000 + low;
  }

  private bytes(n: number, at: number, opcode: string): Uint8Array {
    this.need(n, at, opcode);
    const view = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  /** A protocol-0 argument line, without its `\n`. */
  private line(at: number, opcode: string): Uint8Array {
    let newline = this.data.indexOf(0x0a, this.pos);
    // In a window, a line may run past it: widen the window until the line ends or the input does.
    while (
      newline < 0 &&
      this.refill(
        Math.min(
          this.total - this.offset(),
          (this.data.length - this.pos) * 2 + 1,
        ),
      )
    )
      newline = this.data.indexOf(0x0a, this.pos);
    if (newline < 0)
      this.fail(
        'truncated',
        `${opcode} at offset ${at} has no end of line before the data ends`,
        at,
        opcode,
      );
    const view = this.data.subarray(this.pos, newline);
    this.pos = newline + 1;
    return view;
  }

  // ---- stack ---------------------------------------------------------------------------------

  private push(value: PyValue): void {
    if (this.stack.length >= MAX_STACK_HEIGHT) this.stackTooHigh();
    this.stack.push(value);
  }

  private stackTooHigh(): never {
    this.fail(
      'stack-height',
      `The stream holds more than ${MAX_STACK_HEIGHT} values on its stack at offset ${this.pos} (nesting or a flood of values); the rest was not analysed`,
      this.offset(),
      undefined,
      { height: this.stack.length, limit: MAX_STACK_HEIGHT },
    );
  }

  /** Reports (once per stream) a container or MARK nesting deeper than the limit. */
  private nestingTooDeep(depth: number): void {
    if (this.nestingReported) return;
    this.nestingReported = true;
    this.anomaly(
      'nesting-depth',
      `Values nest more than ${this.maxNestingDepth} levels deep at offset ${
        this.offset() - 1
      } (maxPickleNesting): a pickle.dump with default settings cannot write this, and code that walks the loaded object recursively exhausts its stack`,
      this.offset() - 1,
      undefined,
      { depth, limit: this.maxNestingDepth },
    );
  }

  private pop(at: number, opcode: string): PyValue {
    if (this.stack.length <= this.fence())
      this.fail(
        'stack-underflow',
        `${opcode} at offset ${at} pops an empty stack`,
        at,
        opcode,
      );
    return this.stack.pop() as PyValue;
  }

  private top(at: number, opcode: string): PyValue {
    if (this.stack.length <= this.fence())
      this.fail(
        'stack-underflow',
        `${opcode} at offset ${at} needs a value on an empty stack`,
        at,
        opcode,
      );
    return this.stack[this.stack.length - 1] as PyValue;
  }

  /** First stack index above the innermost MARK: CPython cannot pop below it. */
  private fence(): number {
    return this.marks.length > 0 ? this.marks[this.marks.length - 1] + 1 : 0;
  }

  private popMark(at: number, opcode: string): PyValue[] {
    const mark = this.marks.pop();
    if (mark === undefined)
      this.fail(
        'stack-underflow',
        `${opcode} at offset ${at} has no MARK to pop to`,
        at,
        opcode,
      );
    const items = this.stack.splice(mark) as PyValue[];
    items.shift(); // the MARK itself
    return items;
  }

  // ---- memo ----------------------------------------------------------------------------------

  private memoPut(key: number, value: PyValue): void {
    if (key < 0) return;
    // Past MEMO_RETAIN_LIMIT, memoised containers are dropped (a byte marks them) so that a pickle of
    // millions of small tuples costs bounded memory. Strings, globals and calls are always kept
    // (STACK_GLOBAL operands and callables must stay resolvable), and so are dicts with dunder keys.
    const keep =
      this.memoCount < MEMO_RETAIN_LIMIT ||
      !isContainerValue(value) ||
      value.dunderKeys !== undefined;
    if (key >= DENSE_MEMO_KEYS) {
      if (!this.memoSparse.has(key)) this.memoCount++;
      this.memoSparse.set(key, keep ? value : OPAQUE_NOT_RETAINED);
      return;
    }
    if (key >= this.memoTags.length) this.growMemoTags(key);
    if (this.memoTags[key] === MEMO_ABSENT) this.memoCount++;
    if (!keep) {
      this.memoTags[key] = MEMO_DROPPED;
      return;
    }
    this.memoTags[key] = MEMO_KEPT;
    if (key < this.memo.length) this.memo[key] = value;
    else if (key === this.memo.length) this.memo.push(value);
    else this.memoSparse.set(key, value);
  }

  private growMemoTags(key: number): void {
    let size = Math.max(1024, this.memoTags.length * 2);
    while (size <= key) size *= 2;
    const grown = new Uint8Array(Math.min(size, DENSE_MEMO_KEYS));
    grown.set(this.memoTags);
    this.memoTags = grown;
  }

  private memoGet(key: number, at: number, opcode: string): PyValue {
    let value: PyValue | undefined;
    if (key >= 0 && key < DENSE_MEMO_KEYS) {
      const tag = key < this.memoTags.length ? this.memoTags[key] : MEMO_ABSENT;
      if (tag === MEMO_DROPPED) value = OPAQUE_NOT_RETAINED;
      else if (tag === MEMO_KEPT)
        value = key < this.memo.length ? this.memo[key] : undefined;
      if (tag === MEMO_KEPT && value === undefined)
        value = this.memoSparse.get(key);
    } else value = this.memoSparse.get(key);
    if (value === undefined)
      this.fail(
        'missing-memo',
        `${opcode} at offset ${at} reads memo key ${key}, which was never stored`,
        at,
        opcode,
      );
    this.references++;
    return value;
  }

  // ---- decoding helpers ------------------------------------------------------------------------

  private text(view: Uint8Array, decoder: TextDecoder): PyValue {
    if (view.length > MAX_STRING_CHARS * 4) {
      return {
        kind: 'opaque',
        what: 'long string',
        preview: decoder.decode(view.subarray(0, 60)),
      };
    }
    return this.limitString(asciiOrDecode(view, decoder));
  }

  private limitString(value: string): PyValue {
    return value.length > MAX_STRING_CHARS
      ? { kind: 'opaque', what: 'long string', preview: value.slice(0, 60) }
      : value;
  }

  private decimal(view: Uint8Array, at: number, opcode: string): PyValue {
    let text = latin1.decode(view).trim();
    if (opcode === 'LONG' && text.endsWith('L')) text = text.slice(0, -1);
    if (opcode === 'INT' && (text === '00' || text === '01'))
      return text === '01';
    if (!/^[+-]?\d+$/.test(text))
      this.fail(
        'bad-argument',
        `${opcode} at offset ${at} has a malformed integer`,
        at,
        opcode,
      );
    const value = Number(text);
    return Number.isSafeInteger(value)
      ? value
      : { kind: 'opaque', what: 'int', preview: text.slice(0, 40) };
  }

  private littleEndianInt(view: Uint8Array): PyValue {
    if (view.length === 0) return 0;
    if (view.length > 8)
      return {
        kind: 'opaque',
        what: 'int',
        preview: `0x${Buffer.from(view.subarray(0, 16))
          .reverse()
          .toString('hex')}`,
      };
    let value = 0n;
    for (let i = view.length - 1; i >= 0; i--)
      value = (value << 8n) | BigInt(view[i]);
    if (view[view.length - 1] & 0x80) value -= 1n << BigInt(view.length * 8);
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : OPAQUE_INT;
  }

  /** Creates and reports an import (GLOBAL, STACK_GLOBAL, INST, EXT). */
  private importGlobal(
    module: string,
    name: string,
    at: number,
    opcode: string,
  ): GlobalRef {
    const ref: GlobalRef = { kind: 'global', module, name, opcode, offset: at };
    this.events.onGlobal(ref);
    return ref;
  }

  private call(
    callee: PyValue,
    args: PyValue,
    at: number,
    opcode: string,
    kwargs?: PyValue,
  ): CallRef {
    const call: CallRef = { kind: 'call', callee, args, opcode, offset: at };
    if (kwargs !== undefined) call.kwargs = kwargs;
    this.events.onCall(call);
    return call;
  }

  private container(kind: ContainerKind, items: PyValue[]): ContainerRef {
    const container = createContainer(kind, items);
    this.checkExpansion(container, items);
    if ((container.depth ?? 1) > this.maxNestingDepth)
      this.nestingTooDeep(container.depth ?? 1);
    return container;
  }

  private tuple(items: PyValue[]): ContainerRef {
    return this.container('tuple', items);
  }

  private extend(container: PyValue, items: PyValue[]): void {
    if (!isContainerValue(container)) return; // appending to an object we do not model (e.g. a call result)
    appendToContainer(container, items);
    this.checkExpansion(container, items);
    if ((container.depth ?? 1) > this.maxNestingDepth)
      this.nestingTooDeep(container.depth ?? 1);
  }

  /** Tracks how many objects a container expands to when shared references are followed. */
  private checkExpansion(container: ContainerRef, items: PyValue[]): void {
    let added = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      added +=
        typeof item === 'object' && item !== null && isContainerValue(item)
          ? item.expandedSize ?? 1
          : 1;
    }
    const total = Math.min(
      (container.expandedSize ?? 1) + added,
      Number.MAX_SAFE_INTEGER,
    );
    container.expandedSize = total;
    if (total > EXPANSION_BOMB_SIZE && !this.bombReported) {
      this.bombReported = true;
      this.anomaly(
        'expansion-bomb',
        `Shared references expand one container to more than ${EXPANSION_BOMB_SIZE.toExponential()} objects (expansion bomb)`,
        this.offset() - 1,
      );
    }
  }

  // ---- main loop -----------------------------------------------------------------------------

  /**
   * The hot path: runs the opcodes that make up nearly all of a large pickle (small ints, strings,
   * small tuples, memo puts and gets, marks, single appends) with locals, and returns as soon as
   * anything needs the general loop — an opcode it does not handle, a FRAME or data end, a stack
   * fence, a memo miss, the next deadline check, the op budget, an opcode newer than the declared
   * protocol. It never fails: every error case is left to the general loop, which reports it.
   * Returns whether it ran any opcode.
   */
  // Labels let the hot loop leave from inside its switch without testing a flag on every opcode.
  /* eslint-disable no-labels */
  private fastRun(): boolean {
    const data = this.data;
    const stack = this.stack;
    const budget = this.budget;
    const declared = this.protocol ?? 1;
    const end =
      this.frameEnd >= 0
        ? Math.min(this.frameEnd - this.base, data.length)
        : data.length;
    const room = Math.min(
      budget.maxOps - budget.opsUsed,
      DEADLINE_CHECK_MASK - (this.ops & DEADLINE_CHECK_MASK),
    );
    const marks = this.marks;
    let fence = marks.length > 0 ? marks[marks.length - 1] + 1 : 0;
    let pos = this.pos;
    let ops = 0;
    run: while (ops < room && pos < end) {
      const code = data[pos];
      if (FAST_PROTOCOL[code] > declared) break;
      const height = stack.length;
      if (height >= MAX_STACK_HEIGHT - 1) break;
      switch (code) {
        case 0x4b: // BININT1
          if (pos + 2 > end) break run;
          stack.push(data[pos + 1]);
          pos += 2;
          break;
        case 0x4d: // BININT2
          if (pos + 3 > end) break run;
          stack.push(data[pos + 1] | (data[pos + 2] << 8));
          pos += 3;
          break;
        case 0x4a: // BININT
          if (pos + 5 > end) break run;
          stack.push(
            data[pos + 1] |
              (data[pos + 2] << 8) |
              (data[pos + 3] << 16) |
              (data[pos + 4] << 24),
          );
          pos += 5;
          break;
        case 0x4e: // NONE
          stack.push(null);
          pos += 1;
          break;
        case 0x88: // NEWTRUE
        case 0x89: // NEWFALSE
          stack.push(code === 0x88);
          pos += 1;
          break;
        case 0x47: // BINFLOAT
          if (pos + 9 > end) break run;
          stack.push(OPAQUE_FLOAT);
          pos += 9;
          break;
        case 0x85: {
          // TUPLE1
          if (height - 1 < fence) break run;
          const a = stack.pop() as PyValue;
          pos += 1;
          if (typeof a !== 'object' || a === null)
            stack.push(
              this.memoCount < MEMO_RETAIN_LIMIT
                ? keptFlatTuple(1, a)
                : transientFlatTuple(1, a),
            );
          else {
            this.pos = pos;
            stack.push(this.tuple([a]));
          }
          break;
        }
        case 0x86: {
          // TUPLE2 (pops, not slice + length: shrinking an array's length is slow in V8)
          if (height - 2 < fence) break run;
          const b = stack.pop() as PyValue;
          const a = stack.pop() as PyValue;
          pos += 1;
          if (
            (typeof a !== 'object' || a === null) &&
            (typeof b !== 'object' || b === null)
          )
            stack.push(
              this.memoCount < MEMO_RETAIN_LIMIT
                ? keptFlatTuple(2, a, b)
                : transientFlatTuple(2, a, b),
            );
          else {
            this.pos = pos;
            stack.push(this.tuple([a, b]));
          }
          break;
        }
        case 0x87: {
          // TUPLE3
          if (height - 3 < fence) break run;
          const c = stack.pop() as PyValue;
          const b = stack.pop() as PyValue;
          const a = stack.pop() as PyValue;
          pos += 1;
          if (
            (typeof a !== 'object' || a === null) &&
            (typeof b !== 'object' || b === null) &&
            (typeof c !== 'object' || c === null)
          )
            stack.push(
              this.memoCount < MEMO_RETAIN_LIMIT
                ? keptFlatTuple(3, a, b, c)
                : transientFlatTuple(3, a, b, c),
            );
          else {
            this.pos = pos;
            stack.push(this.tuple([a, b, c]));
          }
          break;
        }
        case 0x94: {
          // MEMOIZE
          if (height <= fence) break run;
          const top = stack[height - 1] as PyValue;
          const key = this.memoCount;
          const tags = this.memoTags;
          if (
            key >= MEMO_RETAIN_LIMIT &&
            key < tags.length &&
            tags[key] === MEMO_ABSENT &&
            isContainerKind(top) &&
            (top as ContainerRef).dunderKeys === undefined
          ) {
            // The common case past the retention limit, inline: one byte, no object.
            tags[key] = MEMO_DROPPED;
            this.memoCount++;
          } else this.memoPut(key, top);
          pos += 1;
          break;
        }
        case 0x71: // BINPUT
          if (height <= fence || pos + 2 > end) break run;
          this.memoPut(data[pos + 1], stack[height - 1] as PyValue);
          pos += 2;
          break;
        case 0x72: // LONG_BINPUT
          if (height <= fence || pos + 5 > end) break run;
          this.memoPut(
            (data[pos + 1] |
              (data[pos + 2] << 8) |
              (data[pos + 3] << 16) |
              (data[pos + 4] << 24)) >>>
              0,
            stack[height - 1] as PyValue,
          );
          pos += 5;
          break;
        case 0x68: // BINGET
        case 0x6a: {
          // LONG_BINGET
          const size = code === 0x68 ? 2 : 5;
          if (pos + size > end) break run;
          const key =
            code === 0x68
              ? data[pos + 1]
              : (data[pos + 1] |
                  (data[pos + 2] << 8) |
                  (data[pos + 3] << 16) |
                  (data[pos + 4] << 24)) >>>
                0;
          // Only the plain case: a kept value in the dense memo. The rest goes the general way.
          if (
            key >= this.memoTags.length ||
            this.memoTags[key] !== MEMO_KEPT ||
            key >= this.memo.length
          )
            break run;
          const value = this.memo[key];
          if (value === undefined) break run;
          this.references++;
          stack.push(value);
          pos += size;
          break;
        }
        case 0x28: // MARK
          if (marks.length >= this.maxNestingDepth) break run;
          marks.push(height);
          stack.push(MARK);
          fence = height + 1;
          pos += 1;
          break;
        case 0x8c: {
          // SHORT_BINUNICODE
          if (pos + 2 > end) break run;
          const n = data[pos + 1];
          if (pos + 2 + n > end) break run;
          stack.push(this.text(data.subarray(pos + 2, pos + 2 + n), utf8));
          pos += 2 + n;
          break;
        }
        case 0x58: {
          // BINUNICODE
          if (pos + 5 > end) break run;
          const n =
            (data[pos + 1] |
              (data[pos + 2] << 8) |
              (data[pos + 3] << 16) |
              (data[pos + 4] << 24)) >>>
            0;
          if (pos + 5 + n > end) break run;
          stack.push(this.text(data.subarray(pos + 5, pos + 5 + n), utf8));
          pos += 5 + n;
          break;
        }
        case 0x61: {
          // APPEND
          if (height - 2 < fence) break run;
          const item = stack.pop() as PyValue;
          pos += 1;
          this.pos = pos;
          this.extend(stack[height - 2] as PyValue, [item]);
          break;
        }
        case 0x73: {
          // SETITEM
          if (height - 3 < fence) break run;
          const value = stack.pop() as PyValue;
          const key = stack.pop() as PyValue;
          pos += 1;
          this.pos = pos;
          this.extend(stack[height - 3] as PyValue, [key, value]);
          break;
        }
        case 0x29: // EMPTY_TUPLE
        case 0x5d: // EMPTY_LIST
        case 0x7d: // EMPTY_DICT
          stack.push(createContainer(EMPTY_CONTAINER_KIND[code]));
          pos += 1;
          break;
        default:
          break run;
      }
      ops++;
    }
    if (ops === 0) return false;
    this.pos = pos;
    this.ops += ops;
    budget.opsUsed += ops;
    this.sawFirstOpcode = true;
    return true;
  }
  /* eslint-enable no-labels */

  private loop(): StreamResult {
    for (;;) {
      if (this.frameEnd >= 0 && this.offset() >= this.frameEnd) {
        if (this.offset() > this.frameEnd) {
          this.anomaly(
            'frame',
            `An opcode crosses the end of the FRAME that ends at offset ${this.frameEnd}`,
            this.frameEnd,
            'FRAME',
          );
        }
        this.frameEnd = -1;
      }
      if (this.fastRun()) continue;
      if (this.pos >= this.data.length) this.refill(1);
      const data = this.data;
      const at = this.offset();
      if (this.pos >= data.length)
        this.fail(
          'truncated',
          `The stream ends at offset ${at} without a STOP opcode`,
          at,
        );
      const code = data[this.pos++];
      const info = OPCODES[code];
      if (!info)
        this.fail(
          'invalid-opcode',
          `Invalid opcode byte 0x${code
            .toString(16)
            .padStart(2, '0')} at offset ${at}`,
          at,
        );
      const name = info.name;

      if ((++this.ops & DEADLINE_CHECK_MASK) === 0) this.budget.checkDeadline();
      if (++this.budget.opsUsed > this.budget.maxOps)
        throw new BudgetExhausted();

      if (code !== 0x80 && code !== 0x95 && !this.sawFirstOpcode)
        this.sawFirstOpcode = true;
      const declared = this.protocol ?? 1;
      if (info.protocol > declared && code !== 0x80 && !this.reportedMismatch) {
        this.reportedMismatch = true;
        const declaredText =
          this.protocol === undefined
            ? 'no PROTO (protocol 0/1)'
            : `PROTO ${this.protocol}`;
        this.anomaly(
          'protocol-mismatch',
          `${name} (protocol ${info.protocol}) at offset ${at} in a stream that declares ${declaredText}`,
          at,
          name,
        );
      }

      switch (code) {
        // -- integers
        case 0x49: // I INT
          this.push(this.decimal(this.line(at, name), at, name));
          break;
        case 0x4a: // J BININT
          this.push(this.i32(at, name));
          break;
        case 0x4b: // K BININT1
          this.push(this.u8(at, name));
          break;
        case 0x4d: // M BININT2
          this.push(this.u16(at, name));
          break;
        case 0x4c: // L LONG
          this.push(this.decimal(this.line(at, name), at, name));
          break;
        case 0x8a: // LONG1
          this.push(
            this.littleEndianInt(this.bytes(this.u8(at, name), at, name)),
          );
          break;
        case 0x8b: {
          // LONG4
          const n = this.i32(at, name);
          if (n < 0)
            this.fail(
              'bad-argument',
              `LONG4 at offset ${at} has a negative length`,
              at,
              name,
            );
          this.push(this.littleEndianInt(this.bytes(n, at, name)));
          break;
        }
        // -- strings and bytes
        case 0x53: // S STRING
          this.push(
            this.text(
              decodeQuotedString(this.line(at, name), () =>
                this.fail(
                  'bad-argument',
                  `STRING at offset ${at} is not a quoted string`,
                  at,
                  name,
                ),
              ),
              latin1,
            ),
          );
          break;
        case 0x54: {
          // T BINSTRING
          const n = this.i32(at, name);
          if (n < 0)
            this.fail(
              'bad-argument',
              `BINSTRING at offset ${at} has a negative length`,
              at,
              name,
            );
          this.push(this.text(this.bytes(n, at, name), latin1));
          break;
        }
        case 0x55: // U SHORT_BINSTRING
          this.push(this.text(this.bytes(this.u8(at, name), at, name), latin1));
          break;
        case 0x42: // B BINBYTES
          this.push({
            kind: 'bytes',
            data: this.keepBytes(this.bytes(this.u32(at, name), at, name)),
          });
          break;
        case 0x43: // C SHORT_BINBYTES
          this.push({
            kind: 'bytes',
            data: this.keepBytes(this.bytes(this.u8(at, name), at, name)),
          });
          break;
        case 0x8e: // BINBYTES8
        case 0x96: // BYTEARRAY8
          this.push({
            kind: 'bytes',
            data: this.keepBytes(this.bytes(this.u64(at, name), at, name)),
          });
          break;
        case 0x97: // NEXT_BUFFER
          this.anomaly(
            'out-of-band-buffer',
            `NEXT_BUFFER at offset ${at}: the stream needs out-of-band buffers that a file cannot carry`,
            at,
            name,
          );
          this.push(OPAQUE_BUFFER);
          break;
        case 0x98: // READONLY_BUFFER
          this.top(at, name);
          break;
        case 0x56: // V UNICODE
          this.push(
            this.limitString(decodeRawUnicodeEscape(this.line(at, name))),
          );
          break;
        case 0x8c: // SHORT_BINUNICODE
          this.push(this.text(this.bytes(this.u8(at, name), at, name), utf8));
          break;
        case 0x58: // X BINUNICODE
          this.push(this.text(this.bytes(this.u32(at, name), at, name), utf8));
          break;
        case 0x8d: // BINUNICODE8
          this.push(this.text(this.bytes(this.u64(at, name), at, name), utf8));
          break;
        // -- constants and floats
        case 0x4e: // N NONE
          this.push(null);
          break;
        case 0x88: // NEWTRUE
          this.push(true);
          break;
        case 0x89: // NEWFALSE
          this.push(false);
          break;
        case 0x46: // F FLOAT
          this.line(at, name);
          this.push(OPAQUE_FLOAT);
          break;
        case 0x47: // G BINFLOAT
          this.bytes(8, at, name);
          this.push(OPAQUE_FLOAT);
          break;
        // -- containers
        case 0x5d: // ] EMPTY_LIST
          this.push(createContainer('list'));
          break;
        case 0x61: {
          // a APPEND
          const item = this.pop(at, name);
          this.extend(this.top(at, name), [item]);
          break;
        }
        case 0x65: {
          // e APPENDS
          const items = this.popMark(at, name);
          this.extend(this.top(at, name), items);
          break;
        }
        case 0x6c: // l LIST
          this.push(this.container('list', this.popMark(at, name)));
          break;
        case 0x29: // ) EMPTY_TUPLE
          this.push(createContainer('tuple'));
          break;
        case 0x74: // t TUPLE
          this.push(this.tuple(this.popMark(at, name)));
          break;
        case 0x85: // TUPLE1
          this.push(this.tuple([this.pop(at, name)]));
          break;
        case 0x86: {
          // TUPLE2
          const b = this.pop(at, name);
          const a = this.pop(at, name);
          this.push(this.tuple([a, b]));
          break;
        }
        case 0x87: {
          // TUPLE3
          const c = this.pop(at, name);
          const b = this.pop(at, name);
          const a = this.pop(at, name);
          this.push(this.tuple([a, b, c]));
          break;
        }
        case 0x7d: // } EMPTY_DICT
          this.push(createContainer('dict'));
          break;
        case 0x64: {
          // d DICT
          const items = this.popMark(at, name);
          if (items.length % 2 !== 0)
            this.fail(
              'bad-argument',
              `DICT at offset ${at} has an odd number of items`,
              at,
              name,
            );
          this.push(this.container('dict', items));
          break;
        }
        case 0x73: {
          // s SETITEM
          const value = this.pop(at, name);
          const key = this.pop(at, name);
          this.extend(this.top(at, name), [key, value]);
          break;
        }
        case 0x75: {
          // u SETITEMS
          const items = this.popMark(at, name);
          if (items.length % 2 !== 0)
            this.fail(
              'bad-argument',
              `SETITEMS at offset ${at} has an odd number of items`,
              at,
              name,
            );
          this.extend(this.top(at, name), items);
          break;
        }
        case 0x8f: // EMPTY_SET
          this.push(createContainer('set'));
          break;
        case 0x90: {
          // ADDITEMS
          const items = this.popMark(at, name);
          this.extend(this.top(at, name), items);
          break;
        }
        case 0x91: // FROZENSET
          this.push(this.container('frozenset', this.popMark(at, name)));
          break;
        // -- stack manipulation
        case 0x30: {
          // 0 POP: CPython pops a MARK too when it is on top
          if (this.marks.length > 0 && this.stack.length === this.fence())
            this.popMark(at, name);
          else this.pop(at, name);
          break;
        }
        case 0x32: // 2 DUP
          this.references++;
          this.push(this.top(at, name));
          break;
        case 0x28: // ( MARK
          if (this.stack.length >= MAX_STACK_HEIGHT) this.stackTooHigh();
          this.marks.push(this.stack.length);
          this.stack.push(MARK);
          if (this.marks.length > this.maxNestingDepth)
            this.nestingTooDeep(this.marks.length);
          break;
        case 0x31: // 1 POP_MARK
          this.popMark(at, name);
          break;
        // -- memo
        case 0x67: // g GET
          this.push(
            this.memoGet(this.memoKey(this.line(at, name), at, name), at, name),
          );
          break;
        case 0x68: // h BINGET
          this.push(this.memoGet(this.u8(at, name), at, name));
          break;
        case 0x6a: // j LONG_BINGET
          this.push(this.memoGet(this.u32(at, name), at, name));
          break;
        case 0x70: // p PUT
          this.memoPut(
            this.memoKey(this.line(at, name), at, name),
            this.top(at, name),
          );
          break;
        case 0x71: // q BINPUT
          this.memoPut(this.u8(at, name), this.top(at, name));
          break;
        case 0x72: // r LONG_BINPUT
          this.memoPut(this.u32(at, name), this.top(at, name));
          break;
        case 0x94: // MEMOIZE
          this.memoPut(this.memoCount, this.top(at, name));
          break;
        // -- extension registry
        case 0x82: // EXT1
        case 0x83: // EXT2
        case 0x84: {
          // EXT4
          let extCode: number;
          if (code === 0x82) extCode = this.u8(at, name);
          else if (code === 0x83) extCode = this.u16(at, name);
          else extCode = this.i32(at, name);
          this.push(
            this.importGlobal(
              EXTENSION_REGISTRY_MODULE,
              String(extCode),
              at,
              name,
            ),
          );
          break;
        }
        // -- globals and calls
        case 0x63: {
          // c GLOBAL (the module is decoded before the next line may refill the window it is in)
          const module = utf8.decode(this.line(at, name));
          const attribute = utf8.decode(this.line(at, name));
          this.push(this.importGlobal(module, attribute, at, name));
          break;
        }
        case 0x93: {
          // STACK_GLOBAL
          const attribute = this.pop(at, name);
          const module = this.pop(at, name);
          if (typeof module !== 'string' || typeof attribute !== 'string') {
            this.importGlobal('?', '?', at, name);
            this.fail(
              'bad-argument',
              `STACK_GLOBAL at offset ${at} takes operands that are not short strings; the import cannot be resolved`,
              at,
              name,
            );
          }
          this.push(this.importGlobal(module, attribute, at, name));
          break;
        }
        case 0x52: {
          // R REDUCE
          const args = this.pop(at, name);
          const callee = this.pop(at, name);
          this.push(this.call(callee, args, at, name));
          break;
        }
        case 0x81: {
          // NEWOBJ
          const args = this.pop(at, name);
          const cls = this.pop(at, name);
          this.push(this.call(cls, args, at, name));
          break;
        }
        case 0x92: {
          // NEWOBJ_EX
          const kwargs = this.pop(at, name);
          const args = this.pop(at, name);
          const cls = this.pop(at, name);
          this.push(this.call(cls, args, at, name, kwargs));
          break;
        }
        case 0x6f: {
          // o OBJ
          const items = this.popMark(at, name);
          if (items.length === 0)
            this.fail(
              'stack-underflow',
              `OBJ at offset ${at} has no class after its MARK`,
              at,
              name,
            );
          const cls = items.shift() as PyValue;
          this.push(this.call(cls, createContainer('tuple', items), at, name));
          break;
        }
        case 0x69: {
          // i INST (decoded line by line, as for GLOBAL)
          const module = utf8.decode(this.line(at, name));
          const attribute = utf8.decode(this.line(at, name));
          const cls = this.importGlobal(module, attribute, at, name);
          const items = this.popMark(at, name);
          this.push(this.call(cls, createContainer('tuple', items), at, name));
          break;
        }
        case 0x62: {
          // b BUILD
          const state = this.pop(at, name);
          const target = this.top(at, name);
          if (isRef(target) && target.kind === 'call') {
            if (target.state === undefined) target.state = state;
            else target.rebuilt = true;
          }
          this.events.onBuild(target, state, at);
          const inline = this.events.inlineDataAfterBuild?.(target, state);
          if (inline) this.skipInlineData(inline, at);
          break;
        }
        // -- persistent IDs
        case 0x50: // P PERSID
          this.line(at, name);
          this.push(OPAQUE_PERSISTENT);
          break;
        case 0x51: // Q BINPERSID
          this.pop(at, name);
          this.push(OPAQUE_PERSISTENT);
          break;
        // -- framing and protocol
        case 0x80: {
          // PROTO
          const version = this.u8(at, name);
          if (this.protocol !== undefined) {
            this.anomaly(
              'proto',
              `PROTO ${version} at offset ${at} repeats the protocol declaration`,
              at,
              name,
            );
          } else if (this.sawFirstOpcode) {
            this.anomaly(
              'proto',
              `PROTO ${version} at offset ${at} is not the first opcode of the stream`,
              at,
              name,
            );
          }
          if (version > HIGHEST_PROTOCOL) {
            this.fail(
              'proto',
              `Unsupported pickle protocol ${version} at offset ${at}`,
              at,
              name,
            );
          }
          this.protocol = version;
          break;
        }
        case 0x95: {
          // FRAME
          const length = this.u64(at, name);
          const here = this.offset();
          if (this.frameEnd >= 0 && here - 9 < this.frameEnd) {
            this.anomaly(
              'frame',
              `FRAME at offset ${at} starts before the previous frame ends at ${this.frameEnd}`,
              at,
              name,
            );
          }
          if (here + length > this.total) {
            this.anomaly(
              'frame',
              `FRAME at offset ${at} claims ${length} bytes but only ${
                this.total - here
              } remain`,
              at,
              name,
            );
          }
          this.frameEnd = Math.min(here + length, this.total);
          if (length === 0) this.frameEnd = -1;
          break;
        }
        case 0x2e: {
          // . STOP
          this.pop(at, name);
          if (this.stack.length > 0) {
            this.anomaly(
              'stop-with-stack',
              `STOP at offset ${at} leaves ${this.stack.length} value(s) on the stack`,
              at,
              name,
            );
          }
          this.checkReferenceCount(at);
          return {
            start: this.start,
            end: this.offset(),
            stopped: true,
            protocol: this.protocol,
          };
        }
        default:
          this.fail(
            'invalid-opcode',
            `Unhandled opcode ${opcodeName(code)} at offset ${at}`,
            at,
          );
      }
    }
  }

  private memoKey(view: Uint8Array, at: number, opcode: string): number {
    const text = latin1.decode(view).trim();
    if (!/^\d+$/.test(text))
      this.fail(
        'bad-argument',
        `${opcode} at offset ${at} has a malformed memo key`,
        at,
        opcode,
      );
    return Number(text);
  }

  private checkReferenceCount(at: number): void {
    if (
      this.references > 1_000_000 &&
      this.references * 2 > this.ops &&
      !this.bombReported
    ) {
      this.bombReported = true;
      this.anomaly(
        'expansion-bomb',
        `${this.references} of ${this.ops} opcodes are DUP/GET references (expansion bomb)`,
        at,
      );
    }
  }

  private skipInlineData(inline: InlineData, at: number): void {
    if (inline.kind === 'unknown') {
      this.fail(
        'inline-data',
        `Raw data follows the BUILD at offset ${at} but its length cannot be computed (${inline.reason}); the rest was not analysed`,
        at,
        'BUILD',
      );
    }
    // joblib commits the current frame before writing raw data, so the data starts outside any frame.
    if (this.frameEnd === this.offset()) this.frameEnd = -1;
    if (inline.kind === 'raw') {
      if (inline.alignmentPrefix) {
        const padding = this.u8(at, 'BUILD');
        this.skip(padding, at, 'BUILD');
      }
      // Stepped over, not read: in a chunked source the array bytes never leave the disk.
      this.skip(inline.length, at, 'BUILD');
      return;
    }
    const depth = (this.options.inlineDepth ?? 0) + 1;
    if (depth > MAX_INLINE_DEPTH)
      this.fail(
        'inline-data',
        `Inline pickles nested deeper than ${MAX_INLINE_DEPTH} at offset ${at}`,
        at,
        'BUILD',
      );
    const nested = walkStream(
      this.chunked ?? this.data,
      this.offset(),
      this.events,
      this.budget,
      { ...this.options, inlineDepth: depth },
    );
    if (nested.limitReached) throw new BudgetExhausted();
    if (!nested.stopped)
      throw new StreamBreak(
        nested.broken ?? {
          kind: 'truncated',
          message: 'Inline pickle broke',
          offset: this.offset(),
        },
      );
    this.pos = nested.end - this.base;
  }
}

/**
 * Walks one pickle stream starting at `start`, opcode by opcode, without building Python objects
 * and without keeping the opcode list. A symbolic stack and memo follow strings, globals and calls
 * so that every import and every invocation is reported with what it is called with.
 */
export function walkStream(
  data: PickleBytes,
  start: number,
  events: WalkEvents,
  budget: WalkBudget,
  options: StreamOptions = {},
): StreamResult {
  return new StreamWalker(data, start, events, budget, options).run();
}

/** Helper for readers: a fresh budget from limits. */
export function createBudget(
  maxOps: number,
  checkDeadline: () => void,
  maxNestingDepth = MAX_NESTING_DEPTH,
): WalkBudget {
  return { maxOps, maxNestingDepth, opsUsed: 0, checkDeadline };
}
