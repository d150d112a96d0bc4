import type { Evidence, Location, Signal } from '../../../model/evidence';
import type { ReaderContext } from '../../../engine/FormatReader';
import type { Severity } from '../../../model/severity';

/** Location of something about one member: the container's location extended with the member. */
export function memberLocation(
  container: Location,
  member: string,
  offset?: number,
): Location {
  return {
    path: container.path,
    entry: [...(container.entry ?? []), member],
    ...(offset === undefined ? {} : { offset }),
  };
}

export function signal(
  ruleId: string,
  location: Location,
  message: string,
  key: string,
  evidence: Evidence = {},
  severity?: Severity,
): Signal {
  return {
    ruleId,
    location,
    message,
    key,
    evidence,
    ...(severity ? { severity } : {}),
  };
}

/** At most this many signals of one kind per archive, so a hostile archive cannot flood the report. */
export const MAX_SIGNALS_PER_KIND = 20;

/** An `emit` that passes the first MAX_SIGNALS_PER_KIND signals of each kind, then one that says there were more. */
export function cappedEmitter(
  ctx: Pick<ReaderContext, 'emit'>,
): (kind: string, sig: Signal) => void {
  const counts = new Map<string, number>();
  return (kind, sig) => {
    const count = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, count);
    if (count <= MAX_SIGNALS_PER_KIND) ctx.emit(sig);
    else if (count === MAX_SIGNALS_PER_KIND + 1) {
      ctx.emit({
        ...sig,
        message: `More like this (only the first ${MAX_SIGNALS_PER_KIND} are reported): ${sig.message}`,
        key: `${sig.key}:more`,
      });
    }
  };
}
