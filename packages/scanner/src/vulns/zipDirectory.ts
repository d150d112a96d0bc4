import { inflateRawSync } from 'node:zlib';
import type { FileHandle } from 'node:fs/promises';

/**
 * A minimal zip reader for the OSV export: central directory (with ZIP64), stored and deflated
 * members. Only for a trusted-ish data file we chose to read, but still bounded.
 */
export interface ZipMember {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}

export async function readZipDirectory(handle: FileHandle, size: number, maxEntries: number): Promise<ZipMember[]> {
  const tailLength = Math.min(size, 22 + MAX_COMMENT);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory record)');
  let count = tail.readUInt16LE(eocd + 10);
  let directorySize = tail.readUInt32LE(eocd + 12);
  let directoryOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff) {
    const locatorAt = size - tailLength + eocd - 20;
    const locator = locatorAt >= 0 ? await readAt(handle, locatorAt, 20) : Buffer.alloc(0);
    if (locator.length < 20 || locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new Error('ZIP64 locator missing');
    const record = await readAt(handle, Number(locator.readBigUInt64LE(8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) throw new Error('ZIP64 end of central directory missing');
    count = Number(record.readBigUInt64LE(32));
    directorySize = Number(record.readBigUInt64LE(40));
    directoryOffset = Number(record.readBigUInt64LE(48));
  }
  if (count > maxEntries) throw new Error(`zip has ${count} entries, more than the ${maxEntries} allowed`);
  if (directoryOffset + directorySize > size) throw new Error('central directory lies outside the file');
  const directory = await readAt(handle, directoryOffset, directorySize);
  const members: ZipMember[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) throw new Error(`central directory entry ${i} is corrupt`);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const member: ZipMember = {
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      uncompressedSize: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
    };
    applyZip64Extra(member, directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    members.push(member);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}

/** ZIP64 extended information (header 0x0001) replaces the fields that are 0xffffffff, in order. */
function applyZip64Extra(member: ZipMember, extra: Buffer) {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        const value = field + 8 <= at + 4 + length ? Number(extra.readBigUInt64LE(field)) : undefined;
        field += 8;
        return value;
      };
      if (member.uncompressedSize === 0xffffffff) member.uncompressedSize = next() ?? member.uncompressedSize;
      if (member.compressedSize === 0xffffffff) member.compressedSize = next() ?? member.compressedSize;
      if (member.localHeaderOffset === 0xffffffff) member.localHeaderOffset = next() ?? member.localHeaderOffset;
      return;
    }
    at += 4 + length;
  }
}

export async function readZipMember(handle: FileHandle, size: number, member: ZipMember, maxBytes: number): Promise<Buffer> {
  // Sizes come from the file: check them before allocating anything.
  if (member.uncompressedSize > maxBytes || member.compressedSize > maxBytes) {
    throw new Error(`${member.name} is ${Math.max(member.uncompressedSize, member.compressedSize)} bytes, over ${maxBytes}`);
  }
  const header = await readAt(handle, member.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw new Error(`${member.name}: bad local header`);
  const dataAt = member.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (dataAt + member.compressedSize > size) throw new Error(`${member.name}: data runs past the end of the file`);
  const data = await readAt(handle, dataAt, member.compressedSize);
  if (member.method === 0) return data;
  if (member.method === 8) return inflateRawSync(data, { maxOutputLength: maxBytes });
  throw new Error(`${member.name}: unsupported compression method ${member.method}`);
}
