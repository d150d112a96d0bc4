import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { ExtractedSource, budgetFor } from '../support/budget';
import { decompress, refuseByDeclaredSize } from '../support/decompress';
import { refusalSignal } from '../support/refusalSignal';
import { signal } from '../support/signals';

/**
 * gzip wrapper (`.gz`, `.tgz`, joblib's gzip compression): decompressed (all members of a
 * multi-member stream) under the size and ratio limits, then handed back to the engine.
 */
export const gzipReader: FormatReader = {
  id: 'gzip',
  priority: 50,
  sniff: head =>
    head.length >= 3 &&
    head[0] === 0x1f &&
    head[1] === 0x8b &&
    head[2] === 0x08,
  read: readGzip,
};

async function readGzip(input: ReaderInput, ctx: ReaderContext): Promise<void> {
  const { source, location, name } = input;
  const budget = budgetFor(source, ctx.limits);
  const inner = innerName(name);
  const refused = refuseByDeclaredSize(source.size, 0, ctx.limits, budget);
  if (refused) {
    ctx.emit(refusalSignal(refused, location, name));
    return;
  }
  const outcome = decompress(
    'gzip',
    await source.read(0, source.size),
    ctx.limits,
    budget,
  );
  if (!outcome.ok) {
    ctx.emit(refusalSignal(outcome.refusal, location, name));
    return;
  }
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
    name: inner,
    source: new ExtractedSource(outcome.bytes, budget),
  });
}

/** `model.pkl.gz` → `model.pkl`, `x.tgz` → `x.tar`; otherwise the name with `.gz`-like suffixes removed. */
export function innerName(name: string): string {
  if (/\.tgz$/i.test(name)) return name.replace(/\.tgz$/i, '.tar');
  const stripped = name.replace(/\.(gz|gzip|z)$/i, '');
  return stripped === name ? `${name}.decompressed` : stripped;
}
