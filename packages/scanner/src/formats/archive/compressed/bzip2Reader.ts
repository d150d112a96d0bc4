import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { ExtractedSource, budgetFor } from '../support/budget';
import { bunzipCapped } from '../support/bunzip';
import {
  outputCap,
  refuseByDeclaredSize,
  refusalForCap,
} from '../support/decompress';
import { refusalSignal } from '../support/refusalSignal';
import { signal } from '../support/signals';

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
    const { source, location, name } = input;
    ctx.setFormat('bzip2');
    const budget = budgetFor(source, ctx.limits);
    const refused = refuseByDeclaredSize(source.size, 0, ctx.limits, budget);
    if (refused) {
      ctx.emit(refusalSignal(refused, location, name));
      return;
    }
    const compressed = await source.read(0, source.size);
    const caps = outputCap(compressed.length, ctx.limits, budget);
    const outcome = bunzipCapped(compressed, caps.cap);
    if (outcome.kind === 'over-cap') {
      ctx.emit(
        refusalSignal(
          refusalForCap(caps, compressed.length, ctx.limits, budget),
          location,
          name,
        ),
      );
      return;
    }
    if (outcome.kind === 'corrupt') {
      ctx.emit(
        refusalSignal(
          { kind: 'corrupt', message: outcome.message },
          location,
          name,
        ),
      );
      return;
    }
    budget.remaining -= outcome.bytes.length;
    if (outcome.damage) {
      ctx.emit(
        signal(
          'ARCHIVE-STRUCT',
          location,
          `${name}: ${outcome.damage}; the ${outcome.bytes.length} bytes before it were scanned`,
          'damaged-stream',
        ),
      );
    }
    await ctx.scanChild({
      name:
        name.replace(/\.(bz2|bzip2|tbz2?)$/i, m =>
          /^\.tbz/i.test(m) ? '.tar' : '',
        ) || `${name}.decompressed`,
      source: new ExtractedSource(outcome.bytes, budget),
    });
  },
};
