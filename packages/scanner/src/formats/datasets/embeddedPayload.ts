import { sniffPickle } from '../pickle/pickleReader';

/**
 * Serialised objects hidden in dataset cells. A consumer that stores model state or features as
 * pickled bytes in a column calls `pickle.loads` on every row it reads: the cell is a model file.
 */
export type PayloadKind = 'pickle' | 'zip' | 'gzip';

/** Cells shorter than this cannot hold a payload worth analysing (and `gA==` is not a pickle). */
const MIN_PAYLOAD_BYTES = 8;

export function payloadKind(bytes: Uint8Array): PayloadKind | undefined {
  if (bytes.length < MIN_PAYLOAD_BYTES) return undefined;
  // Zip local header (a torch.save checkpoint, a joblib bundle), gzip (a compressed pickle).
  if (
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    bytes[2] === 0x03 &&
    bytes[3] === 0x04
  )
    return 'zip';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08)
    return 'gzip';
  if (sniffPickle(bytes.subarray(0, 4096), bytes.length)) return 'pickle';
  return undefined;
}

/** Base64 text (standard or URL-safe alphabet, optional padding), long enough to carry a payload. */
const BASE64 = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
/** Cells decoded at most this long: the engine's own member limits apply to what is handed over. */
const MAX_BASE64_CHARS = 64 * 1024 * 1024;

/**
 * Bytes of a text cell that is base64 of a payload (JSON Lines and CSV carry binary that way),
 * else undefined. Only the first bytes are decoded to decide; the whole cell only when it matches.
 */
export function base64Payload(
  value: string,
): { kind: PayloadKind; bytes: Uint8Array } | undefined {
  if (value.length < 16 || value.length > MAX_BASE64_CHARS) return undefined;
  const text = value.trim();
  if (!BASE64.test(text)) return undefined;
  const head = Buffer.from(text.slice(0, 5464), 'base64');
  if (!payloadKind(head)) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  const kind = payloadKind(bytes);
  return kind ? { kind, bytes } : undefined;
}
