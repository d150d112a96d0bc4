import type { ByteSource } from '../../io/ByteSource';

/** Bytes decoded and parsed at a time when a text dataset is read in full. */
const TEXT_CHUNK_BYTES = 8 * 1024 * 1024;

const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * The first `budget` bytes of a text dataset as strings that each end at a record boundary: a
 * newline outside quotes for CSV (doubled quotes keep the parity right), any newline for JSON Lines.
 * Cutting on bytes is safe for UTF-8 (a newline byte is never inside a multi-byte character). The
 * bytes after the last boundary within the budget are dropped: a sample ends mid-record.
 */
export async function* textChunks(
  source: ByteSource,
  budget: number,
  quoted: boolean,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let offset = 0;
  let carry = new Uint8Array(0);
  let inQuotes = false;
  while (offset < budget) {
    const length = Math.min(TEXT_CHUNK_BYTES, budget - offset);
    const fresh = await source.read(offset, length);
    offset += fresh.length;
    const atEnd = offset >= budget || fresh.length === 0;
    const bytes = carry.length === 0 ? fresh : concat(carry, fresh);
    // The scan of the carried bytes starts over: the parity is that of the whole window.
    inQuotes = false;
    let cut = -1;
    if (atEnd && budget >= source.size) cut = bytes.length;
    else if (!quoted) cut = bytes.lastIndexOf(NEWLINE) + 1;
    else
      for (let i = 0; i < bytes.length; i++) {
        const byte = bytes[i];
        if (byte === QUOTE) inQuotes = !inQuotes;
        else if (byte === NEWLINE && !inQuotes) cut = i + 1;
      }
    if (cut <= 0) {
      // One record longer than the window: keep reading (full mode) or stop (the sample ends in it).
      if (atEnd) return;
      carry = bytes;
      continue;
    }
    yield decoder.decode(bytes.subarray(0, cut));
    carry = bytes.slice(cut);
    if (atEnd) return;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
