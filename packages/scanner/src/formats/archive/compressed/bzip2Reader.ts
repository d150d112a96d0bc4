import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { bunzipCapped } from '../support/bunzip';
import { readWrapped, strippedName } from './readWrapped';

/** "BZh" + block size 1-9 + the first block's magic (or the empty stream's end magic). */
export function isBzip2(head: Uint8Array): boolean {
  const starts = (at: number, bytes: number[]) =>
    bytes.every((byte, i) => head[at + i] === byte);
  return (
    starts(0, [0x42, 0x5a, 0x68]) &&
    head[3] >= 0x31 &&
    head[3] <= 0x39 &&
    (starts(4, [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]) ||
      starts(4, [0x17, 0x72, 0x45, 0x38, 0x50, 0x90]))
  );
}

/**
 * bzip2 wrapper (`.bz2`, joblib's bz2 compression): decompressed under the size and ratio limits the
 * gzip path has, then handed back to the engine.
 */
export const bzip2Reader: FormatReader = {
  id: 'bzip2',
  priority: 50,
  sniff: isBzip2,
  async read(input: ReaderInput, ctx: ReaderContext): Promise<void> {
    ctx.setFormat('bzip2');
    await readWrapped(
      input,
      ctx,
      (compressed, cap) => bunzipCapped(compressed, cap),
      strippedName(input.name, /\.(bz2|bzip2|tbz2?)$/i),
    );
  },
};
