import type { Evidence, Signal } from '../../../model/evidence';
import type { Severity } from '../../../model/severity';
import type { ReaderInput } from '../../../engine/FormatReader';

/** Builds a signal located in `input`; keeps readers free of location bookkeeping. */
export function signalAt(
  input: Pick<ReaderInput, 'location'>,
  ruleId: string,
  message: string,
  key: string,
  evidence: Evidence = {},
  extra: { offset?: number; severity?: Severity } = {},
): Signal {
  const location =
    extra.offset === undefined
      ? input.location
      : { ...input.location, offset: extra.offset };
  const signal: Signal = { ruleId, message, location, evidence, key };
  if (extra.severity) signal.severity = extra.severity;
  return signal;
}

/** Evidence snippets are capped at 200 characters and kept on one line. */
export function snippetOf(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function lowerName(name: string): string {
  return name.toLowerCase();
}

export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
