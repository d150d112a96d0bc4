import type { ReaderContext, ReaderInput } from '../../../engine/FormatReader';
import { describeMagic } from './magic';
import { hexOf, signalAt } from './signals';

/**
 * Readers of data-only formats claim files *named* like their format at a priority above the
 * pickle and archive readers. When the bytes turn out to be something else, this reports the
 * disguise and hands the same bytes back to the engine under a name without the misleading
 * extension, so the reader that recognises the content still analyses it.
 */
export async function reportDisguise(
  input: ReaderInput,
  ctx: ReaderContext,
  claimed: string,
): Promise<void> {
  const looksLike = describeMagic(input.head);
  ctx.emit(
    signalAt(
      input,
      'MODEL-DISGUISED',
      `${input.name} is named like ${claimed} but its content is ${
        looksLike === 'unknown' ? `not ${claimed}` : looksLike
      }`,
      `disguised:${claimed}`,
      { claimed, looksLike, magic: hexOf(input.head.subarray(0, 8)) },
    ),
  );
  await ctx.scanChild({ name: `${input.name}#content`, source: input.source });
}

/** The one guess `describeMagic` makes from a single opcode byte, which a protobuf can also start with. */
const WEAK_GUESS = 'possibly a protocol 0/1 pickle';

/**
 * For formats without a magic number (protobuf), claimed by name: does the head belong to another
 * format? `certain` for a multi-byte signature (pickle protocol 2+, zip, NumPy...), `weak` for the
 * one-byte protocol 0/1 pickle guess, which only counts once the bytes failed to parse as claimed.
 */
export function foreignMagic(head: Uint8Array): 'certain' | 'weak' | undefined {
  const looksLike = describeMagic(head);
  if (looksLike === 'unknown') return undefined;
  return looksLike === WEAK_GUESS ? 'weak' : 'certain';
}
