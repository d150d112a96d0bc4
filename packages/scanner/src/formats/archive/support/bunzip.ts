import Bunzip from 'seek-bzip';

/** Thrown by the capped output sink; never escapes `bunzipCapped`. */
class OutputCapReached extends Error {}

export type BunzipOutcome =
  | { kind: 'ok'; bytes: Uint8Array; damage?: string }
  | { kind: 'over-cap' }
  | { kind: 'corrupt'; message: string };

/**
 * bzip2 (all streams of a multi-stream file, as `bzip2` and Python's `bz2` write them), decoded in
 * pure JS by seek-bzip into a sink that stops at `cap` bytes, so a bomb costs at most `cap` of memory.
 * A damaged stream yields what was decoded before the damage, with `damage` saying what is wrong.
 */
export function bunzipCapped(input: Uint8Array, cap: number): BunzipOutcome {
  let buffer = Buffer.alloc(
    Math.min(cap, Math.max(64 * 1024, input.length * 4)),
  );
  let length = 0;
  const sink = {
    writeByte(byte: number) {
      if (length >= cap) throw new OutputCapReached();
      if (length >= buffer.length) {
        const grown = Buffer.alloc(Math.min(cap, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      buffer[length++] = byte;
    },
  };
  try {
    Bunzip.decode(
      Buffer.from(input.buffer, input.byteOffset, input.byteLength),
      sink,
      true,
    );
    return { kind: 'ok', bytes: buffer.subarray(0, length) };
  } catch (error) {
    if (error instanceof OutputCapReached) return { kind: 'over-cap' };
    const message = error instanceof Error ? error.message : String(error);
    if (length === 0)
      return {
        kind: 'corrupt',
        message: `bzip2 stream is corrupt: ${message}`,
      };
    return {
      kind: 'ok',
      bytes: buffer.subarray(0, length),
      damage: `bzip2 stream: ${message}`,
    };
  }
}
