/**
 * A bounded LZMA decoder for the legacy `.lzma` (LZMA-alone) format, LZMA2 chunks and the `.xz`
 * container, written from the LZMA specification (LzmaSpec in the LZMA SDK, the .xz file format
 * spec 1.1.0). Pure TypeScript and synchronous: output goes into one buffer that never grows past
 * `cap`, so a bomb costs at most `cap` bytes. No npm package both decodes both formats and stops at
 * an output cap (measured: @napi-rs/lzma's streaming decoder hands its whole output to `finish()`).
 * Every .xz integrity field is verified (header, index and footer CRC32s, the block check: CRC32,
 * CRC64 or SHA-256, the index against the blocks): xz-utils and Python's lzma refuse a file whose
 * fields disagree, so a mismatch is reported (`integrity`), never decoded silently.
 */

import { XzIntegrityError, expectBlockCheck, expectCrc32 } from './xzIntegrity';

export class LzmaOutputCapReached extends Error {}
/** The stream is damaged or uses something this decoder does not implement; `decoded` is what precedes it. */
export class LzmaDataError extends Error {}

class Output {
  bytes: Uint8Array;
  length = 0;
  /** Matches may not reach before this position (LZMA2 dictionary reset). */
  dictStart = 0;
  constructor(
    private readonly cap: number,
    sizeHint: number,
    /** Called every few hundred KiB of output: the caller's deadline check. */
    readonly tick: () => void = () => {},
  ) {
    this.bytes = new Uint8Array(Math.max(1, Math.min(cap, sizeHint)));
  }
  put(byte: number): void {
    if (this.length >= this.bytes.length) this.grow(this.length + 1);
    this.bytes[this.length++] = byte;
  }
  /** Copies `length` bytes from `distance` back (distance 1 = the last byte). */
  copyMatch(distance: number, length: number): void {
    if (distance > this.length - this.dictStart || distance <= 0)
      throw new LzmaDataError('match distance reaches before the dictionary');
    if (this.length + length > this.bytes.length)
      this.grow(this.length + length);
    const out = this.bytes;
    let from = this.length - distance;
    for (let i = 0; i < length; i++) out[this.length++] = out[from++];
  }
  byteBack(distance: number): number {
    return this.length - distance >= this.dictStart
      ? this.bytes[this.length - distance]
      : 0;
  }
  private grow(needed: number): void {
    if (needed > this.cap) throw new LzmaOutputCapReached();
    const grown = new Uint8Array(
      Math.min(this.cap, Math.max(needed, this.bytes.length * 2)),
    );
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

const PROB_INIT = 1024;
const TOP = 1 << 24;

class RangeDecoder {
  private range = 0xffffffff;
  private code = 0;
  constructor(
    private readonly input: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {
    if (this.next() !== 0)
      throw new LzmaDataError('range coder does not start with a zero byte');
    for (let i = 0; i < 4; i++) this.code = this.code * 256 + this.next();
    if (this.code === this.range)
      throw new LzmaDataError('range coder starts corrupt');
  }
  private next(): number {
    if (this.pos >= this.end) throw new LzmaDataError('stream is truncated');
    return this.input[this.pos++];
  }
  finishedOk(): boolean {
    return this.code === 0;
  }
  private normalize(): void {
    if (this.range < TOP) {
      this.range *= 256;
      this.code = this.code * 256 + this.next();
    }
  }
  bit(probs: Uint16Array, index: number): number {
    const prob = probs[index];
    const bound = (this.range >>> 11) * prob;
    let bit: number;
    if (this.code < bound) {
      probs[index] = prob + ((2048 - prob) >>> 5);
      this.range = bound;
      bit = 0;
    } else {
      probs[index] = prob - (prob >>> 5);
      this.code -= bound;
      this.range -= bound;
      bit = 1;
    }
    this.normalize();
    return bit;
  }
  direct(count: number): number {
    let result = 0;
    for (let i = 0; i < count; i++) {
      this.range = Math.floor(this.range / 2);
      let bit = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        bit = 1;
      }
      this.normalize();
      result = result * 2 + bit;
    }
    return result;
  }
  tree(probs: Uint16Array, offset: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) + this.bit(probs, offset + m);
    return m - (1 << bits);
  }
  reverseTree(probs: Uint16Array, offset: number, bits: number): number {
    let m = 1;
    let symbol = 0;
    for (let i = 0; i < bits; i++) {
      const bit = this.bit(probs, offset + m);
      m = (m << 1) + bit;
      symbol |= bit << i;
    }
    return symbol;
  }
}

/** Length coder: choice, choice2, low[16][8], mid[16][8], high[256]. */
const LEN_LOW = 2;
const LEN_MID = LEN_LOW + 16 * 8;
const LEN_HIGH = LEN_MID + 16 * 8;
const LEN_SIZE = LEN_HIGH + 256;

function decodeLength(
  rc: RangeDecoder,
  probs: Uint16Array,
  posState: number,
): number {
  if (rc.bit(probs, 0) === 0) return rc.tree(probs, LEN_LOW + posState * 8, 3);
  if (rc.bit(probs, 1) === 0)
    return 8 + rc.tree(probs, LEN_MID + posState * 8, 3);
  return 16 + rc.tree(probs, LEN_HIGH, 8);
}

export interface LzmaProperties {
  lc: number;
  lp: number;
  pb: number;
}

export function parsePropertiesByte(byte: number): LzmaProperties {
  if (byte >= 9 * 5 * 5)
    throw new LzmaDataError('invalid LZMA properties byte');
  return {
    lc: byte % 9,
    lp: Math.floor(byte / 9) % 5,
    pb: Math.floor(byte / 45),
  };
}

/** The LZMA state machine after a literal (LzmaSpec UpdateState_Literal). */
function stateAfterLiteral(state: number): number {
  if (state < 4) return 0;
  return state < 10 ? state - 3 : state - 6;
}

/** LZMA decoder state that survives across LZMA2 chunks without a state reset. */
class LzmaState {
  private literal!: Uint16Array;
  private readonly isMatch = new Uint16Array(192);
  private readonly isRep = new Uint16Array(12);
  private readonly isRepG0 = new Uint16Array(12);
  private readonly isRepG1 = new Uint16Array(12);
  private readonly isRepG2 = new Uint16Array(12);
  private readonly isRep0Long = new Uint16Array(192);
  private readonly posSlot = new Uint16Array(4 * 64);
  private readonly posDecoders = new Uint16Array(115);
  private readonly align = new Uint16Array(16);
  private readonly len = new Uint16Array(LEN_SIZE);
  private readonly repLen = new Uint16Array(LEN_SIZE);
  private state = 0;
  private reps = [0, 0, 0, 0];

  constructor(public props: LzmaProperties) {
    this.reset();
  }

  reset(props: LzmaProperties = this.props): void {
    this.props = props;
    this.literal = new Uint16Array(0x300 << (props.lc + props.lp)).fill(
      PROB_INIT,
    );
    for (const probs of [
      this.isMatch,
      this.isRep,
      this.isRepG0,
      this.isRepG1,
      this.isRepG2,
      this.isRep0Long,
      this.posSlot,
      this.posDecoders,
      this.align,
      this.len,
      this.repLen,
    ])
      probs.fill(PROB_INIT);
    this.state = 0;
    this.reps = [0, 0, 0, 0];
  }

  /**
   * Decodes until `size` bytes were produced (when known) or an end marker. Returns true when an
   * end marker ended the data.
   */
  decode(
    rc: RangeDecoder,
    out: Output,
    size: number | undefined,
    dictSize: number,
  ): boolean {
    const { lc, lp, pb } = this.props;
    const pbMask = (1 << pb) - 1;
    const lpMask = (1 << lp) - 1;
    let remaining = size ?? Infinity;
    const reps = this.reps;
    let steps = 0;
    while (remaining > 0) {
      if ((++steps & 0xffff) === 0) out.tick();
      const position = out.length - out.dictStart;
      const posState = position & pbMask;
      if (rc.bit(this.isMatch, (this.state << 4) + posState) === 0) {
        const prev = out.length > out.dictStart ? out.bytes[out.length - 1] : 0;
        const base =
          0x300 * (((position & lpMask) << lc) + (prev >>> (8 - lc)));
        let symbol = 1;
        if (this.state >= 7) {
          let matchByte = out.byteBack(reps[0] + 1);
          do {
            const matchBit = (matchByte >>> 7) & 1;
            matchByte <<= 1;
            const bit = rc.bit(
              this.literal,
              base + ((1 + matchBit) << 8) + symbol,
            );
            symbol = (symbol << 1) | bit;
            if (matchBit !== bit) break;
          } while (symbol < 0x100);
        }
        while (symbol < 0x100)
          symbol = (symbol << 1) | rc.bit(this.literal, base + symbol);
        out.put(symbol - 0x100);
        this.state = stateAfterLiteral(this.state);
        remaining--;
        continue;
      }
      let length: number;
      if (rc.bit(this.isRep, this.state) !== 0) {
        if (out.length === out.dictStart)
          throw new LzmaDataError('repeated match before any data');
        if (rc.bit(this.isRepG0, this.state) === 0) {
          if (rc.bit(this.isRep0Long, (this.state << 4) + posState) === 0) {
            this.state = this.state < 7 ? 9 : 11;
            out.put(out.byteBack(reps[0] + 1));
            remaining--;
            continue;
          }
        } else {
          let distance: number;
          if (rc.bit(this.isRepG1, this.state) === 0) {
            distance = reps[1];
          } else {
            if (rc.bit(this.isRepG2, this.state) === 0) {
              distance = reps[2];
            } else {
              distance = reps[3];
              reps[3] = reps[2];
            }
            reps[2] = reps[1];
          }
          reps[1] = reps[0];
          reps[0] = distance;
        }
        length = decodeLength(rc, this.repLen, posState);
        this.state = this.state < 7 ? 8 : 11;
      } else {
        reps[3] = reps[2];
        reps[2] = reps[1];
        reps[1] = reps[0];
        length = decodeLength(rc, this.len, posState);
        this.state = this.state < 7 ? 7 : 10;
        reps[0] = this.decodeDistance(rc, length);
        if (reps[0] === 0xffffffff) {
          if (rc.finishedOk()) return true;
          throw new LzmaDataError('end marker with data after it');
        }
        if (reps[0] >= dictSize)
          throw new LzmaDataError('match distance beyond the dictionary size');
      }
      length += 2;
      if (length > remaining)
        throw new LzmaDataError('match runs past the declared size');
      out.copyMatch(reps[0] + 1, length);
      remaining -= length;
    }
    return false;
  }

  private decodeDistance(rc: RangeDecoder, length: number): number {
    const lenState = Math.min(length, 3);
    const slot = rc.tree(this.posSlot, lenState * 64, 6);
    if (slot < 4) return slot;
    const directBits = (slot >>> 1) - 1;
    let distance = (2 | (slot & 1)) * 2 ** directBits;
    if (slot < 14)
      return (
        distance + rc.reverseTree(this.posDecoders, distance - slot, directBits)
      );
    distance += rc.direct(directBits - 4) * 16;
    return distance + rc.reverseTree(this.align, 0, 4);
  }
}

export interface LzmaDecoded {
  bytes: Uint8Array;
  /** Set when decoding stopped at damage; `bytes` is what preceded it. */
  damage?: string;
  /** The damage is an .xz integrity field that disagrees with the data (a loader refuses the file). */
  integrity?: boolean;
}

function finish(out: Output, error: unknown): LzmaDecoded {
  if (error instanceof LzmaOutputCapReached) throw error;
  if (error instanceof XzIntegrityError)
    return {
      bytes: out.bytes.subarray(0, out.length),
      damage: error.message,
      integrity: true,
    };
  if (error instanceof LzmaDataError || error instanceof RangeError) {
    return { bytes: out.bytes.subarray(0, out.length), damage: error.message };
  }
  throw error;
}

/** `.lzma` (LZMA-alone): 5 property bytes, a 64-bit size (all ones = unknown, end marker), data. */
export function decodeLzmaAlone(
  input: Uint8Array,
  cap: number,
  tick?: () => void,
): LzmaDecoded {
  if (input.length < 13)
    return { bytes: new Uint8Array(0), damage: 'lzma header is truncated' };
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const dictSize = Math.max(4096, view.getUint32(1, true));
  const low = view.getUint32(5, true);
  const high = view.getUint32(9, true);
  const size =
    low === 0xffffffff && high === 0xffffffff
      ? undefined
      : high * 2 ** 32 + low;
  if (size !== undefined && size > cap) throw new LzmaOutputCapReached();
  const out = new Output(cap, size ?? input.length * 4, tick);
  try {
    const props = parsePropertiesByte(input[0]);
    const rc = new RangeDecoder(input, 13, input.length);
    const ended = new LzmaState(props).decode(rc, out, size, dictSize);
    if (!ended && size === undefined) throw new LzmaDataError('no end marker');
    return { bytes: out.bytes.subarray(0, out.length) };
  } catch (error) {
    return finish(out, error);
  }
}

/** Raw LZMA (as zip method 14 stores it after its 4-byte version/size prefix and 5 property bytes). */
export function decodeLzmaRaw(
  input: Uint8Array,
  cap: number,
  size: number | undefined,
  tick?: () => void,
): LzmaDecoded {
  if (input.length < 9)
    return {
      bytes: new Uint8Array(0),
      damage: 'lzma member header is truncated',
    };
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const propsLength = view.getUint16(2, true);
  if (propsLength !== 5)
    return {
      bytes: new Uint8Array(0),
      damage: `unexpected LZMA property length ${propsLength}`,
    };
  const dictSize = Math.max(4096, view.getUint32(5, true));
  if (size !== undefined && size > cap) throw new LzmaOutputCapReached();
  const out = new Output(cap, size ?? input.length * 4, tick);
  try {
    const rc = new RangeDecoder(input, 9, input.length);
    new LzmaState(parsePropertiesByte(input[4])).decode(
      rc,
      out,
      size,
      dictSize,
    );
    return { bytes: out.bytes.subarray(0, out.length) };
  } catch (error) {
    return finish(out, error);
  }
}

/** LZMA2 chunks from `at` until the end chunk; returns the offset after it. */
function decodeLzma2(
  input: Uint8Array,
  at: number,
  end: number,
  out: Output,
  dictSize: number,
): number {
  let state: LzmaState | undefined;
  let pos = at;
  const need = (n: number) => {
    if (pos + n > end) throw new LzmaDataError('LZMA2 chunk is truncated');
  };
  for (;;) {
    need(1);
    const control = input[pos++];
    if (control === 0) return pos;
    if (control === 1 || control === 2) {
      need(2);
      const size = ((input[pos] << 8) | input[pos + 1]) + 1;
      pos += 2;
      need(size);
      if (control === 1) out.dictStart = out.length;
      for (let i = 0; i < size; i++) out.put(input[pos + i]);
      pos += size;
      continue;
    }
    if (control < 0x80)
      throw new LzmaDataError(
        `invalid LZMA2 control byte 0x${control.toString(16)}`,
      );
    need(4);
    const unpacked =
      (control & 0x1f) * 65536 + ((input[pos] << 8) | input[pos + 1]) + 1;
    const packed = ((input[pos + 2] << 8) | input[pos + 3]) + 1;
    pos += 4;
    const mode = (control >>> 5) & 3;
    if (mode === 3) out.dictStart = out.length;
    if (mode >= 2) {
      need(1);
      const props = parsePropertiesByte(input[pos++]);
      if (props.lc + props.lp > 4)
        throw new LzmaDataError('LZMA2 properties out of range');
      if (state) state.reset(props);
      else state = new LzmaState(props);
    } else if (!state) {
      throw new LzmaDataError('LZMA2 chunk without properties');
    } else if (mode === 1) {
      state.reset();
    }
    need(packed);
    const rc = new RangeDecoder(input, pos, pos + packed);
    state.decode(rc, out, unpacked, dictSize);
    pos += packed;
  }
}

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

function startsWithXzMagic(input: Uint8Array, at: number): boolean {
  return XZ_MAGIC.every((byte, i) => input[at + i] === byte);
}
const CHECK_SIZES = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];
const FILTER_LZMA2 = 0x21;

function readVarint(input: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    if (at + i >= input.length)
      throw new LzmaDataError('xz integer is truncated');
    const byte = input[at + i];
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return [value, at + i + 1];
  }
  throw new LzmaDataError('xz integer is too long');
}

/** `.xz`: every stream (concatenated streams and stream padding included), LZMA2 blocks only. */
export function decodeXz(
  input: Uint8Array,
  cap: number,
  tick?: () => void,
): LzmaDecoded {
  const out = new Output(cap, input.length * 4, tick);
  let pos = 0;
  try {
    for (let stream = 0; pos < input.length; stream++) {
      if (stream > 0) {
        while (
          pos + 4 <= input.length &&
          input[pos] === 0 &&
          input[pos + 1] === 0 &&
          input[pos + 2] === 0 &&
          input[pos + 3] === 0
        )
          pos += 4;
        if (pos >= input.length) break;
      }
      if (!startsWithXzMagic(input, pos)) {
        throw new LzmaDataError(
          stream === 0
            ? 'no xz stream header'
            : `${input.length - pos} bytes after the last xz stream are not xz`,
        );
      }
      if (pos + 12 > input.length)
        throw new LzmaDataError('xz stream header is truncated');
      expectCrc32(input, pos + 6, pos + 8, pos + 8, 'stream header');
      if (input[pos + 6] !== 0 || input[pos + 7] > 0x0f)
        throw new XzIntegrityError('xz stream flags use reserved bits');
      const flags = input.subarray(pos + 6, pos + 8);
      pos += 12;
      pos = decodeBlocks(input, pos, out, flags);
    }
    return { bytes: out.bytes.subarray(0, out.length) };
  } catch (error) {
    return finish(out, error);
  }
}

/** Blocks, then the index and the stream footer; returns the offset after the footer. */
function decodeBlocks(
  input: Uint8Array,
  at: number,
  out: Output,
  streamFlags: Uint8Array,
): number {
  const checkId = streamFlags[1];
  const checkSize = CHECK_SIZES[checkId];
  const blocks: { unpadded: number; uncompressed: number }[] = [];
  let pos = at;
  for (;;) {
    if (pos >= input.length) throw new LzmaDataError('xz stream is truncated');
    if (input[pos] === 0) break;
    const blockStart = pos;
    const headerSize = (input[pos] + 1) * 4;
    if (pos + headerSize > input.length)
      throw new LzmaDataError('xz block header is truncated');
    expectCrc32(
      input,
      pos,
      pos + headerSize - 4,
      pos + headerSize - 4,
      `block ${blocks.length} header`,
    );
    const flags = input[pos + 1];
    let cursor = pos + 2;
    if (flags & 0x40) cursor = readVarint(input, cursor)[1];
    if (flags & 0x80) cursor = readVarint(input, cursor)[1];
    const filters = (flags & 0x03) + 1;
    let dictSize = 0;
    for (let f = 0; f < filters; f++) {
      const [id, afterId] = readVarint(input, cursor);
      const [propsSize, afterSize] = readVarint(input, afterId);
      if (id !== FILTER_LZMA2 || f !== filters - 1)
        throw new LzmaDataError(
          `xz filter 0x${id.toString(16)} is not supported (only LZMA2)`,
        );
      const dictByte = input[afterSize] & 0x3f;
      if (propsSize !== 1 || dictByte > 40)
        throw new LzmaDataError('invalid LZMA2 dictionary size');
      dictSize =
        dictByte === 40
          ? 0xffffffff
          : (2 | (dictByte & 1)) * 2 ** (Math.floor(dictByte / 2) + 11);
      cursor = afterSize + propsSize;
    }
    pos = blockStart + headerSize;
    const dataStart = out.length;
    pos = decodeLzma2(input, pos, input.length, out, dictSize);
    const unpadded = pos - blockStart + checkSize;
    while ((pos - blockStart) % 4 !== 0) {
      if (input[pos] !== 0)
        throw new XzIntegrityError('xz block padding is not zero');
      pos++;
    }
    if (pos + checkSize > input.length)
      throw new LzmaDataError('xz block check is truncated');
    expectBlockCheck(
      checkId,
      out.bytes.subarray(dataStart, out.length),
      input.subarray(pos, pos + checkSize),
      blocks.length,
    );
    blocks.push({ unpadded, uncompressed: out.length - dataStart });
    pos += checkSize;
  }
  return readIndexAndFooter(input, pos, blocks, streamFlags);
}

/** The index (indicator, record count, records, padding, CRC32) must list the blocks as decoded; then the footer. */
function readIndexAndFooter(
  input: Uint8Array,
  at: number,
  blocks: { unpadded: number; uncompressed: number }[],
  streamFlags: Uint8Array,
): number {
  const [records, afterCount] = readVarint(input, at + 1);
  if (records !== blocks.length)
    throw new XzIntegrityError(
      `xz index lists ${records} blocks, the stream holds ${blocks.length}`,
    );
  let cursor = afterCount;
  for (let i = 0; i < records; i++) {
    const [unpadded, afterUnpadded] = readVarint(input, cursor);
    const [uncompressed, afterRecord] = readVarint(input, afterUnpadded);
    if (
      unpadded !== blocks[i].unpadded ||
      uncompressed !== blocks[i].uncompressed
    )
      throw new XzIntegrityError(
        `xz index record ${i} disagrees with block ${i}`,
      );
    cursor = afterRecord;
  }
  while ((cursor - at) % 4 !== 0) cursor++;
  if (cursor + 4 + 12 > input.length)
    throw new LzmaDataError('xz index or footer is truncated');
  expectCrc32(input, at, cursor, cursor, 'index');
  const indexSize = cursor + 4 - at;
  const footer = cursor + 4;
  expectCrc32(input, footer + 4, footer + 10, footer, 'stream footer');
  const backwardSize =
    (input[footer + 4] |
      (input[footer + 5] << 8) |
      (input[footer + 6] << 16) |
      (input[footer + 7] << 24)) >>>
    0;
  if ((backwardSize + 1) * 4 !== indexSize)
    throw new XzIntegrityError(
      'xz footer backward size does not point at the index',
    );
  if (
    input[footer + 8] !== streamFlags[0] ||
    input[footer + 9] !== streamFlags[1]
  )
    throw new XzIntegrityError('xz footer flags differ from the header flags');
  if (input[footer + 10] !== 0x59 || input[footer + 11] !== 0x5a)
    throw new LzmaDataError('xz stream footer magic is missing');
  return footer + 12;
}
