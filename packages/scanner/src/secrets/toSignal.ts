import type { Location, Signal } from '../model/evidence';
import type { SecretMatch } from './detectSecrets';

/**
 * A secret as a signal. The key is the secret's hash, not its line, so the finding keeps its
 * fingerprint when the file moves around it, and an acceptance names exactly that credential.
 */
export function secretSignal(
  match: SecretMatch,
  location: Location,
  where?: string,
  extra: Record<string, string | number> = {},
): Signal {
  return {
    ruleId: match.ruleId,
    message: `${match.label} (${match.redacted})${
      where ? ` in ${where}` : ''
    }: rotate it and remove it from the artifact`,
    location,
    evidence: {
      secretKind: match.kind,
      redacted: match.redacted,
      sha256: match.sha256,
      ...extra,
    },
    key: `${match.kind}:${match.sha256}`,
  };
}
