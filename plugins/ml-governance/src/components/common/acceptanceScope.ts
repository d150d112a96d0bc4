import type { RiskAcceptance } from '@ml-governance/plugin-ml-governance-common';

/** What an acceptance waives, in words: one finding or every finding of a rule. */
export function describeAcceptanceScope(
  acceptance: Pick<RiskAcceptance, 'fingerprint' | 'ruleId'>,
): string {
  if (acceptance.ruleId) return `Every ${acceptance.ruleId} finding`;
  if (acceptance.fingerprint)
    return `Finding ${acceptance.fingerprint.slice(0, 12)}`;
  return '—';
}
