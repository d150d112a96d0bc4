/**
 * Seeded byte mutations for fuzzing the scanner over its own fixtures. Everything derives from a
 * 32-bit seed, so a failing mutant is rebuilt from (seed, iteration) alone.
 */

/** mulberry32: small, fast, good enough to spread mutations; not for anything secret. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of one iteration: iterations are independent, so any one can be replayed alone. */
export function iterationSeed(seed: number, iteration: number): number {
  return (
    (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) +
      Math.imul(iteration + 1, 0xc2b2ae35)) >>>
    0
  );
}

export interface Corpus {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface Mutant {
  /** The fixture the mutant came from. */
  base: Corpus;
  /** Name of that fixture (its extension steers the sniffing). */
  name: string;
  bytes: Uint8Array;
  /** What was done, for the failure report. */
  steps: string[];
}

/** Values that make parsers take odd branches: sizes at type limits, zero, sign bits. */
const INTERESTING = [
  0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0xffffffff,
];

type Mutator = (
  bytes: Uint8Array,
  random: () => number,
  corpus: readonly Corpus[],
) => [Uint8Array, string];

const int = (random: () => number, below: number) =>
  Math.floor(random() * below);

const MUTATORS: Mutator[] = [
  function flipBit(bytes, random) {
    if (bytes.length === 0) return [bytes, 'flip (empty)'];
    const copy = Uint8Array.from(bytes);
    const at = int(random, copy.length);
    const bit = int(random, 8);
    copy[at] ^= 1 << bit;
    return [copy, `flip bit ${bit} at ${at}`];
  },
  function setByte(bytes, random) {
    if (bytes.length === 0) return [bytes, 'set (empty)'];
    const copy = Uint8Array.from(bytes);
    const at = int(random, copy.length);
    copy[at] = int(random, 256);
    return [copy, `set byte at ${at} to ${copy[at]}`];
  },
  function truncate(bytes, random) {
    const length = int(random, bytes.length + 1);
    return [bytes.slice(0, length), `truncate to ${length}`];
  },
  function insert(bytes, random) {
    const at = int(random, bytes.length + 1);
    const length = 1 + int(random, 16);
    const filler = Uint8Array.from({ length }, () => int(random, 256));
    return [
      concat(bytes.subarray(0, at), filler, bytes.subarray(at)),
      `insert ${length} bytes at ${at}`,
    ];
  },
  function removeRange(bytes, random) {
    const at = int(random, bytes.length + 1);
    const length = int(random, Math.min(64, bytes.length - at) + 1);
    return [
      concat(bytes.subarray(0, at), bytes.subarray(at + length)),
      `remove ${length} bytes at ${at}`,
    ];
  },
  function interestingInteger(bytes, random) {
    const width = [1, 2, 4, 8][int(random, 4)];
    if (bytes.length < width) return [bytes, 'integer (too short)'];
    const copy = Uint8Array.from(bytes);
    const at = int(random, copy.length - width + 1);
    const value = INTERESTING[int(random, INTERESTING.length)];
    const view = new DataView(copy.buffer);
    const littleEndian = random() < 0.5;
    if (width === 1) view.setUint8(at, value & 0xff);
    else if (width === 2) view.setUint16(at, value & 0xffff, littleEndian);
    else if (width === 4) view.setUint32(at, value >>> 0, littleEndian);
    else view.setBigUint64(at, BigInt(value), littleEndian);
    return [
      copy,
      `write ${value} as ${width}-byte ${littleEndian ? 'LE' : 'BE'} at ${at}`,
    ];
  },
  function duplicateChunk(bytes, random) {
    if (bytes.length === 0) return [bytes, 'duplicate (empty)'];
    const from = int(random, bytes.length);
    const length = 1 + int(random, Math.min(256, bytes.length - from));
    const at = int(random, bytes.length + 1);
    return [
      concat(
        bytes.subarray(0, at),
        bytes.subarray(from, from + length),
        bytes.subarray(at),
      ),
      `duplicate ${length} bytes from ${from} at ${at}`,
    ];
  },
  function splice(bytes, random, corpus) {
    const other = corpus[int(random, corpus.length)];
    const cut = int(random, bytes.length + 1);
    const from = int(random, other.bytes.length + 1);
    return [
      concat(bytes.subarray(0, cut), other.bytes.subarray(from)),
      `splice ${other.name}[${from}:] after ${cut}`,
    ];
  },
];

/** Builds the mutant of one iteration: a fixture, then 1 to 4 stacked mutations. */
export function mutate(
  corpus: readonly Corpus[],
  seed: number,
  iteration: number,
): Mutant {
  const random = prng(iterationSeed(seed, iteration));
  const base = corpus[int(random, corpus.length)];
  let bytes = base.bytes;
  const steps: string[] = [];
  const count = 1 + int(random, 4);
  for (let i = 0; i < count; i++) {
    const [next, step] = MUTATORS[int(random, MUTATORS.length)](
      bytes,
      random,
      corpus,
    );
    bytes = next;
    steps.push(step);
  }
  return { base, name: base.name, bytes, steps };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
