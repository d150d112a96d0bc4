import { createHash } from 'node:crypto';
import type { Signal } from '../model/evidence';

/**
 * Same rule + same file + same archive member + same key ⇒ same fingerprint, whatever the byte
 * offsets, line numbers or scan time. Acceptances and "first seen" depend on this staying stable.
 *
 * @public
 */
export function fingerprintOf(
  signal: Pick<Signal, 'ruleId' | 'location' | 'key'>,
): string {
  const parts = [
    signal.ruleId,
    signal.location.path,
    (signal.location.entry ?? []).join('\u0000'),
    signal.key,
  ];
  return createHash('sha256')
    .update(parts.join('\u0001'))
    .digest('hex')
    .slice(0, 32);
}
