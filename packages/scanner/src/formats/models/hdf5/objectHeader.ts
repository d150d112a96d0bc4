import { Cursor, Hdf5FormatError, UNDEFINED_ADDRESS } from './cursor';
import type { Hdf5File } from './hdf5File';

/** One header message: its type and its raw body (still to be decoded). */
export interface HeaderMessage {
  type: number;
  flags: number;
  body: Uint8Array;
  /** File address of the body, for locations in findings. */
  address: number;
}

export const MSG = {
  dataspace: 0x0001,
  linkInfo: 0x0002,
  datatype: 0x0003,
  link: 0x0006,
  attribute: 0x000c,
  continuation: 0x0010,
  symbolTable: 0x0011,
  attributeInfo: 0x0015,
} as const;

/** First read of an object header; continuation blocks carry the rest. */
const FIRST_READ = 4096;
/** Continuation blocks per object (real files have a handful). */
const MAX_CONTINUATIONS = 4096;
const MAX_BLOCK = 64 * 1024 * 1024;

/**
 * Reads every message of the object header at `address` (version 1 or 2), following
 * continuation messages. Pure over the file's bytes; all counts are bounded.
 */
export async function readObjectHeader(
  file: Hdf5File,
  address: number,
): Promise<HeaderMessage[]> {
  const head = await file.readUpTo(address, FIRST_READ, 'object header');
  const messages: HeaderMessage[] = [];
  const blocks: { address: number; length: number }[] = [];
  let version: 1 | 2;
  let v2Flags = 0;
  if (
    head.bytes.length >= 4 &&
    Buffer.from(head.bytes.subarray(0, 4)).toString('latin1') === 'OHDR'
  ) {
    version = 2;
    head.skip(4);
    const v = head.u8();
    if (v !== 2)
      throw new Hdf5FormatError(`object header at ${address} has version ${v}`);
    const flags = head.u8();
    v2Flags = flags;
    if (flags & 0x20) head.skip(16); // times
    if (flags & 0x10) head.skip(4); // attribute phase change values
    const chunkSize = head.uint(
      1 << (flags & 0x03),
      'object header chunk size',
    );
    // Chunk 0 holds `chunkSize` bytes of messages; its checksum follows.
    await parseBlock(
      file,
      address + head.pos,
      chunkSize,
      2,
      flags,
      messages,
      blocks,
      head,
      head.pos,
    );
  } else {
    version = 1;
    const v = head.u8();
    if (v !== 1)
      throw new Hdf5FormatError(
        `no object header at ${address} (version byte ${v})`,
      );
    head.skip(1);
    head.uint(2); // message count (not trusted: continuation blocks are followed instead)
    head.skip(4); // reference count
    const size = head.uint(4, 'object header size');
    head.skip(4); // alignment to 8 bytes
    await parseBlock(
      file,
      address + 16,
      size,
      1,
      0,
      messages,
      blocks,
      head,
      16,
    );
  }
  const followed = new Set<number>();
  for (let i = 0; i < blocks.length; i++) {
    if (followed.has(blocks[i].address))
      throw new Hdf5FormatError(
        `object header at ${address} has continuation blocks that loop (${blocks[i].address} again)`,
      );
    followed.add(blocks[i].address);
    if (i >= MAX_CONTINUATIONS)
      throw new Hdf5FormatError(
        `object header at ${address} has too many continuation blocks`,
      );
    const block = blocks[i];
    if (block.length > MAX_BLOCK)
      throw new Hdf5FormatError(`continuation block of ${block.length} bytes`);
    const c = await file.read(
      block.address,
      block.length,
      'object header continuation',
    );
    if (version === 1) {
      await parseBlock(
        file,
        block.address,
        block.length,
        1,
        0,
        messages,
        blocks,
        c,
        0,
      );
      continue;
    }
    // OCHK signature, messages, checksum.
    c.signature('OCHK');
    await parseBlock(
      file,
      block.address + 4,
      block.length - 8,
      2,
      v2Flags,
      messages,
      blocks,
      c,
      4,
    );
  }
  return messages;
}

async function parseBlock(
  file: Hdf5File,
  address: number,
  length: number,
  version: 1 | 2,
  headerFlags: number,
  messages: HeaderMessage[],
  blocks: { address: number; length: number }[],
  preloaded: Cursor,
  offsetInPreloaded: number,
): Promise<void> {
  const bodyLength = length;
  if (bodyLength < 0)
    throw new Hdf5FormatError(`object header chunk at ${address} is too short`);
  let c: Cursor;
  if (offsetInPreloaded + bodyLength <= preloaded.bytes.length)
    c = new Cursor(
      preloaded.bytes.subarray(
        offsetInPreloaded,
        offsetInPreloaded + bodyLength,
      ),
      0,
      address,
    );
  else {
    if (bodyLength > MAX_BLOCK)
      throw new Hdf5FormatError(`object header chunk of ${bodyLength} bytes`);
    c = await file.read(address, bodyLength, 'object header chunk');
  }
  const creationOrderTracked = version === 2 && (headerFlags & 0x04) !== 0;
  const headerSize = version === 1 ? 8 : 4 + (creationOrderTracked ? 2 : 0);
  while (c.remaining >= headerSize) {
    let type: number;
    let size: number;
    let flags: number;
    if (version === 1) {
      type = c.uint(2);
      size = c.uint(2);
      flags = c.u8();
      c.skip(3);
    } else {
      type = c.u8();
      size = c.uint(2);
      flags = c.u8();
      if (creationOrderTracked) c.skip(2);
    }
    const bodyAddress = address + c.pos;
    const body = c.take(size, `header message type ${type}`);
    if (version === 1 && size % 8 !== 0)
      c.skip(Math.min(c.remaining, 8 - (size % 8)));
    file.countMessage();
    if (type === MSG.continuation) {
      const m = new Cursor(body, 0, bodyAddress);
      const at = m.address(file.offsetSize);
      const len = m.uint(file.lengthSize);
      if (at !== UNDEFINED_ADDRESS) blocks.push({ address: at, length: len });
      continue;
    }
    if (type !== 0) messages.push({ type, flags, body, address: bodyAddress });
  }
}
