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
