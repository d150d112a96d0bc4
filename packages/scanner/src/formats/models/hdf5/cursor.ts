/**
 * Little-endian field reader over one block of HDF5 metadata. Every read is bounds-checked and
 * throws Hdf5FormatError, so a lying length or address ends the walk of that structure with a
 * reason instead of reading garbage.
 */
export class Hdf5FormatError extends Error {}

/** The all-ones address HDF5 uses for "not allocated". */
export const UNDEFINED_ADDRESS = -1;

export class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    /** File address of bytes[0], for messages. */
    readonly base = 0,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  need(length: number, what: string): void {
    if (length < 0 || this.pos + length > this.bytes.length)
      throw new Hdf5FormatError(
        `${what} at ${
          this.base + this.pos
        } runs past its block (${length} bytes wanted, ${this.remaining} left)`,
      );
  }

  skip(length: number, what = 'field'): void {
    this.need(length, what);
    this.pos += length;
  }

  u8(): number {
    this.need(1, 'byte');
    return this.bytes[this.pos++];
  }

  /** Unsigned integer of `size` bytes (1–8). Values past 2^53 are rejected. */
  uint(size: number, what = 'integer'): number {
    this.need(size, what);
    let value = 0;
    let scale = 1;
    for (let i = 0; i < size; i++) {
      value += this.bytes[this.pos + i] * scale;
      scale *= 256;
    }
    this.pos += size;
    if (!Number.isSafeInteger(value))
      throw new Hdf5FormatError(
        `${what} at ${this.base + this.pos - size} is too large`,
      );
    return value;
  }

  /** An address field: UNDEFINED_ADDRESS when all bytes are 0xff. */
  address(size: number, what = 'address'): number {
    this.need(size, what);
    const allOnes = this.bytes
      .subarray(this.pos, this.pos + size)
      .every(b => b === 0xff);
    if (allOnes) {
      this.pos += size;
      return UNDEFINED_ADDRESS;
    }
    return this.uint(size, what);
  }

  take(length: number, what = 'bytes'): Uint8Array {
    this.need(length, what);
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  signature(expected: string): void {
    const got = Buffer.from(this.take(4, `${expected} signature`)).toString(
      'latin1',
    );
    if (got !== expected)
      throw new Hdf5FormatError(
        `expected ${expected} at ${
          this.base + this.pos - 4
        }, found ${JSON.stringify(got)}`,
      );
  }
}

/** Bytes needed to store `value` (HDF5's H5VM_limit_enc_size). */
export function encodedSize(value: number): number {
  return Math.floor(Math.log2(Math.max(1, value)) / 8) + 1;
}

/** Bytes needed for a bit count (HDF5's H5HF_SIZEOF_OFFSET_BITS). */
export function bytesForBits(bits: number): number {
  return Math.ceil(bits / 8);
}

export function cString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return Buffer.from(nul === -1 ? bytes : bytes.subarray(0, nul)).toString(
    'utf8',
  );
}
