import type { ReaderContext, ReaderInput } from '../../../engine/FormatReader';
import { ExtractedSource, budgetFor } from '../support/budget';
import {
  outputCap,
  refuseByDeclaredSize,
  refusalForCap,
} from '../support/decompress';
import { refusalSignal } from '../support/refusalSignal';
import { signal } from '../support/signals';

/** What a bounded decoder made of a whole compressed file. */
export type WrappedOutcome =
  | { kind: 'ok'; bytes: Uint8Array; damage?: string }
  | { kind: 'over-cap' }
  | { kind: 'corrupt'; message: string };

/** Decodes `compressed` into at most `cap` bytes, calling `tick` now and then for the deadline. */
export type BoundedDecoder = (
  compressed: Uint8Array,
  cap: number,
  tick: () => void,
) => WrappedOutcome;

/**
 * The shared path of single-stream wrappers (bzip2, xz, lzma): refuse by size, decode under the
 * size and ratio caps, report damage (what precedes it is still scanned, as a streaming loader would
 * read it) and hand the content back to the engine as `innerName`.
 */
export async function readWrapped(
  input: ReaderInput,
  ctx: ReaderContext,
  decode: BoundedDecoder,
  innerName: string,
): Promise<void> {
  const { source, location, name } = input;
  const budget = budgetFor(source, ctx.limits);
  const refused = refuseByDeclaredSize(source.size, 0, ctx.limits, budget);
  if (refused) {
    ctx.emit(refusalSignal(refused, location, name));
    return;
  }
  const compressed = await source.read(0, source.size);
  const caps = outputCap(compressed.length, ctx.limits, budget);
  const outcome = decode(compressed, caps.cap, () => ctx.checkDeadline());
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
    name: innerName,
    source: new ExtractedSource(outcome.bytes, budget),
  });
}

/** `model.pkl.xz` → `model.pkl`, `x.txz` → `x.tar`; otherwise `<name>.decompressed`. */
export function strippedName(name: string, suffixes: RegExp): string {
  const inner = name.replace(suffixes, suffix =>
    /^\.t/i.test(suffix) ? '.tar' : '',
  );
  return inner === name || inner === '' ? `${name}.decompressed` : inner;
}
