import type { Location, Signal } from '../../../model/evidence';
import type { Refusal } from './decompress';
import { signal } from './signals';

/** Turns a refused decompression into the signal that says what was not analysed and why. */
export function refusalSignal(
  refusal: Refusal,
  location: Location,
  member: string,
): Signal {
  const message = `${member} was not analysed: ${refusal.message}`;
  if (refusal.kind === 'limit') {
    return signal('SCAN-LIMIT', location, message, refusal.limit, {
      limit: refusal.limit,
    });
  }
  if (refusal.kind === 'bomb') {
    return signal('ARCHIVE-BOMB', location, message, 'ratio', {
      ratio: refusal.ratio,
    });
  }
  return signal('ARCHIVE-STRUCT', location, message, 'corrupt-stream');
}
