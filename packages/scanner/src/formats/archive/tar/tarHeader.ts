/** Tar headers (POSIX ustar, GNU and pax extensions), parsed from one 512-byte block. Pure functions. */

export const BLOCK = 512;

export interface TarHeader {
  name: string;
  size: number;
  type: string;
  linkName: string;
  /** Checksum as stored, and whether it matches the block (unsigned or signed sum, as tarfile accepts). */
  checksumValid: boolean;
  isUstar: boolean;
}

const LATIN1 = new TextDecoder('latin1');
const UTF8 = new TextDecoder('utf-8', { fatal: false });

function field(block: Uint8Array, start: number, length: number): string {
  const bytes = block.subarray(start, start + length);
  const nul = bytes.indexOf(0);
  return UTF8.decode(nul === -1 ? bytes : bytes.subarray(0, nul));
}

/**
 * Numeric field: octal text, or GNU base-256 when the high bit of the first byte is set. Values
 * past 2^53 saturate; a negative base-256 value is returned as -1 (invalid).
 */
export function parseNumber(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  if (bytes[0] & 0x80) {
    if (bytes[0] & 0x40) return -1;
    let value = bytes[0] & 0x3f;
    for (let i = 1; i < bytes.length; i++)
      value = Math.min(value * 256 + bytes[i], Number.MAX_SAFE_INTEGER);
    return value;
  }
  const text = LATIN1.decode(bytes).replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return -1;
  return Math.min(parseInt(text, 8), Number.MAX_SAFE_INTEGER);
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

export function checksumMatches(block: Uint8Array): boolean {
  const stored = parseNumber(block.subarray(148, 156));
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

export function parseTarHeader(block: Uint8Array): TarHeader {
  const magic = LATIN1.decode(block.subarray(257, 263));
  const isUstar = magic === 'ustar\u0000' || magic === 'ustar ';
  let name = field(block, 0, 100);
  const prefix = magic === 'ustar\u0000' ? field(block, 345, 155) : '';
  if (prefix) name = `${prefix}/${name}`;
  return {
    name,
    size: parseNumber(block.subarray(124, 136)),
    type: block[156] === 0 ? '0' : String.fromCharCode(block[156]),
    linkName: field(block, 157, 100),
    checksumValid: checksumMatches(block),
    isUstar,
  };
}

/** Pax extended header records (`<len> <key>=<value>\n`); malformed records end the parse. */
export function parsePaxRecords(bytes: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    if (space === -1) break;
    const length = Number(LATIN1.decode(bytes.subarray(at, space)));
    if (
      !Number.isInteger(length) ||
      length <= space - at ||
      at + length > bytes.length
    )
      break;
    const record = UTF8.decode(bytes.subarray(space + 1, at + length - 1));
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}

/** Regular-file types: '0', NUL (old tar) and '7' (contiguous). */
export function isRegularFile(type: string): boolean {
  return type === '0' || type === '7';
}
