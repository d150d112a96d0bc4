/**
 * A tiny pickle writer for tests: builds byte-exact streams, including shapes no Python pickler
 * writes (adversarial fixtures), without Python. Each method appends one opcode.
 */
export class PickleWriter {
  private readonly chunks: number[] = [];

  static create(): PickleWriter {
    return new PickleWriter();
  }

  raw(...bytes: (number | string | Uint8Array)[]): this {
    for (const part of bytes) {
      if (typeof part === 'number') this.chunks.push(part & 0xff);
      else if (typeof part === 'string')
        for (const byte of Buffer.from(part, 'latin1')) this.chunks.push(byte);
      else for (const byte of part) this.chunks.push(byte);
    }
    return this;
  }

  proto(version: number): this {
    return this.raw(0x80, version);
  }
  frame(length: number): this {
    return this.raw(0x95, ...le(length, 8));
  }
  stop(): this {
    return this.raw('.');
  }
  mark(): this {
    return this.raw('(');
  }
  // -- strings
  shortUnicode(text: string): this {
    const bytes = Buffer.from(text, 'utf8');
    return this.raw(0x8c, bytes.length, bytes);
  }
  binUnicode(text: string): this {
    const bytes = Buffer.from(text, 'utf8');
    return this.raw('X', ...le(bytes.length, 4), bytes);
  }
  binUnicode8(text: string): this {
    const bytes = Buffer.from(text, 'utf8');
    return this.raw(0x8d, ...le(bytes.length, 8), bytes);
  }
  unicode(text: string): this {
    return this.raw('V', text, '\n');
  }
  string(repr: string): this {
    return this.raw('S', repr, '\n');
  }
  binString(text: string): this {
    return this.raw('T', ...le(text.length, 4), text);
  }
  shortBinString(text: string): this {
    return this.raw('U', text.length, text);
  }
  shortBinBytes(bytes: Uint8Array): this {
    return this.raw('C', bytes.length, bytes);
  }
  binBytes(bytes: Uint8Array): this {
    return this.raw('B', ...le(bytes.length, 4), bytes);
  }
  binBytes8(bytes: Uint8Array): this {
    return this.raw(0x8e, ...le(bytes.length, 8), bytes);
  }
  byteArray8(bytes: Uint8Array): this {
    return this.raw(0x96, ...le(bytes.length, 8), bytes);
  }
  // -- numbers and constants
  int(value: number): this {
    if (value >= 0 && value < 256) return this.raw('K', value);
    if (value >= 0 && value < 65536) return this.raw('M', ...le(value, 2));
    return this.raw('J', ...le(value >>> 0, 4));
  }
  none(): this {
    return this.raw('N');
  }
  // -- globals and calls
  global(module: string, name: string): this {
    return this.raw('c', module, '\n', name, '\n');
  }
  stackGlobal(module: string, name: string): this {
    return this.shortUnicode(module).shortUnicode(name).raw(0x93);
  }
  inst(module: string, name: string): this {
    return this.raw('i', module, '\n', name, '\n');
  }
  reduce(): this {
    return this.raw('R');
  }
  build(): this {
    return this.raw('b');
  }
  newobj(): this {
    return this.raw(0x81);
  }
  newobjEx(): this {
    return this.raw(0x92);
  }
  obj(): this {
    return this.raw('o');
  }
  // -- containers
  tuple(): this {
    return this.raw('t');
  }
  tuple1(): this {
    return this.raw(0x85);
  }
  tuple2(): this {
    return this.raw(0x86);
  }
  emptyTuple(): this {
    return this.raw(')');
  }
  emptyDict(): this {
    return this.raw('}');
  }
  emptyList(): this {
    return this.raw(']');
  }
  setItem(): this {
    return this.raw('s');
  }
  setItems(): this {
    return this.raw('u');
  }
  append(): this {
    return this.raw('a');
  }
  // -- memo and stack
  memoize(): this {
    return this.raw(0x94);
  }
  put(key: number): this {
    return this.raw('p', String(key), '\n');
  }
  binPut(key: number): this {
    return this.raw('q', key);
  }
  longBinPut(key: number): this {
    return this.raw('r', ...le(key, 4));
  }
  get(key: number): this {
    return this.raw('g', String(key), '\n');
  }
  binGet(key: number): this {
    return this.raw('h', key);
  }
  longBinGet(key: number): this {
    return this.raw('j', ...le(key, 4));
  }
  dup(): this {
    return this.raw('2');
  }
  pop(): this {
    return this.raw('0');
  }
  popMark(): this {
    return this.raw('1');
  }

  /**
   * `callable(arg)` via REDUCE with one string argument: the classic payload. GLOBAL style uses only
   * protocol 1-2 opcodes, STACK_GLOBAL style protocol 4 ones.
   */
  call(
    module: string,
    name: string,
    argument: string,
    style: 'GLOBAL' | 'STACK_GLOBAL' = 'STACK_GLOBAL',
  ): this {
    if (style === 'GLOBAL')
      return this.global(module, name).binUnicode(argument).raw(0x85).reduce();
    return this.stackGlobal(module, name)
      .shortUnicode(argument)
      .tuple1()
      .reduce();
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }

  get length(): number {
    return this.chunks.length;
  }
}

function le(value: number, width: number): number[] {
  const out: number[] = [];
  let rest = value;
  for (let i = 0; i < width; i++) {
    out.push(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return out;
}

/** Concatenates byte arrays (several streams in one file). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap(part => Array.from(part)));
}
