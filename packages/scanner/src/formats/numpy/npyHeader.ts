import { parsePyLiteral, type PyLiteral } from './pyLiteral';

export const NPY_MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

/** NumPy refuses headers above this size by default (numpy.lib.format._MAX_HEADER_SIZE). */
export const NUMPY_MAX_HEADER_SIZE = 10_000;

export interface NpyHeader {
  version: number;
  /** Offset of the first data byte. */
  dataOffset: number;
  descr: PyLiteral;
  /** Column-major data: the same bytes as C order, in another order, so sizes are unaffected. */
  fortranOrder: boolean;
  /** Dimensions, exact (BigInt) since a hostile header can declare products past 2^64. */
  shape: bigint[];
  /** The dtype holds Python objects (`|O`, also as a structured field): the data is a pickle. */
  hasObjects: boolean;
}

export type NpyHeaderResult =
  | { ok: true; header: NpyHeader }
  | { ok: false; reason: string; needBytes?: number };

export function hasNpyMagic(head: Uint8Array): boolean {
  return (
    head.length >= NPY_MAGIC.length &&
    NPY_MAGIC.every((byte, i) => head[i] === byte)
  );
}

/** Length of the fixed preamble (magic, version, header length) for a version; undefined if unknown. */
function preambleLength(major: number): number | undefined {
  if (major === 1) return 10;
  if (major === 2 || major === 3) return 12;
  return undefined;
}

/**
 * Parses an `.npy` header from the first bytes of a file. `maxHeaderBytes` caps the header length
 * field; a longer header is reported (needBytes) rather than read.
 */
export function parseNpyHeader(
  bytes: Uint8Array,
  maxHeaderBytes: number,
): NpyHeaderResult {
  if (!hasNpyMagic(bytes))
    return { ok: false, reason: 'missing \\x93NUMPY magic' };
  if (bytes.length < 8) return { ok: false, reason: 'truncated preamble' };
  const major = bytes[6];
  const preamble = preambleLength(major);
  if (preamble === undefined)
    return {
      ok: false,
      reason: `unknown .npy format version ${major}.${bytes[7]}`,
    };
  if (bytes.length < preamble)
    return { ok: false, reason: 'truncated preamble' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength =
    major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > maxHeaderBytes)
    return {
      ok: false,
      reason: `header of ${headerLength} bytes exceeds the limit`,
      needBytes: headerLength,
    };
  const dataOffset = preamble + headerLength;
  if (bytes.length < dataOffset)
    return { ok: false, reason: 'truncated header', needBytes: dataOffset };
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(preamble, dataOffset),
  );
  let literal: PyLiteral;
  try {
    literal = parsePyLiteral(text);
  } catch (error) {
    return {
      ok: false,
      reason: `header is not a Python literal: ${(error as Error).message}`,
    };
  }
  if (literal === null || typeof literal !== 'object' || Array.isArray(literal))
    return { ok: false, reason: 'header is not a dict' };
  const { descr, fortran_order: fortranOrder, shape } = literal;
  if (descr === undefined)
    return { ok: false, reason: "header has no 'descr'" };
  const isInteger = (dim: PyLiteral) =>
    typeof dim === 'bigint' || Number.isSafeInteger(dim);
  if (!Array.isArray(shape) || !shape.every(isInteger))
    return { ok: false, reason: "header 'shape' is not a tuple of integers" };
  const dims = shape.map(dim => BigInt(dim as number | bigint));
  if (dims.some(dim => dim < 0n))
    return { ok: false, reason: "header 'shape' has a negative dimension" };
  return {
    ok: true,
    header: {
      version: major,
      dataOffset,
      descr,
      fortranOrder: fortranOrder === true,
      shape: dims,
      hasObjects: descrHasObjects(descr),
    },
  };
}

/** True if a dtype description has an object type anywhere (plain, structured or sub-array). */
export function descrHasObjects(descr: PyLiteral): boolean {
  if (typeof descr === 'string') return /^[<>|=]?O\d*$/.test(descr.trim());
  if (Array.isArray(descr)) return descr.some(item => descrHasObjects(item));
  if (descr && typeof descr === 'object')
    return Object.values(descr).some(item => descrHasObjects(item));
  return false;
}
