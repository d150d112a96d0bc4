// Turns what a reader or analyzer threw into the finding that reports it.
import { RemoteReadError } from '../io/RemoteByteSource';
import type { Location, Signal } from '../model/evidence';
import { LimitExceededError, ScanTimeoutError } from './errors';

export function errorSignal(
  error: unknown,
  component: string,
  location: Location,
): Signal {
  const err = error as Error;
  if (err instanceof RemoteReadError) {
    return {
      ruleId: 'SCAN-REMOTE-INCOMPLETE',
      message: `${component}: ${err.message}; the rest of this file was not analysed`,
      location,
      evidence: { reader: component },
      key: `${component}:remote`,
    };
  }
  if (err instanceof ScanTimeoutError || err instanceof LimitExceededError) {
    const limit = err instanceof ScanTimeoutError ? 'fileTimeoutMs' : err.limit;
    return {
      ruleId: 'SCAN-LIMIT',
      message: `${component}: ${err.message}; the rest was not analysed`,
      location,
      evidence: { limit },
      key: `${component}:${limit}`,
    };
  }
  return {
    ruleId: 'SCAN-ERROR',
    message: `${component} could not analyse this input: ${
      err?.message ?? String(error)
    }`,
    location,
    evidence: { reader: component },
    key: `${component}:error`,
  };
}
