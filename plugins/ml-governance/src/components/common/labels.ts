import type { TranslationFunction } from '@backstage/frontend-plugin-api';
import type {
  AcceptanceEvent,
  AcceptanceStatus,
  EntityDecision,
  FindingStatus,
  RiskAcceptance,
  ScanStatus,
  Severity,
} from '@ml-governance/plugin-ml-governance-common';
import type { mlGovernanceTranslationRef } from '../../translation';

/** The plugin's translate function, as `useTranslationRef(mlGovernanceTranslationRef)` returns it. */
export type Translate = TranslationFunction<
  typeof mlGovernanceTranslationRef.T
>;

// The words for the API's enum values. Each takes the caller's `t`, so it follows the app's language
// and stays a plain function (rows render by the thousand: one hook per table, not per cell).

export function severityLabel(t: Translate, severity: Severity): string {
  return t(`labels.severity.${severity}`);
}

/** The decision word itself (BLOCK, PASS…), as pipelines and the CLI print it. */
export function decisionLabel(t: Translate, decision: EntityDecision): string {
  return t(`labels.decision.${decision}`);
}

/** What a decision means for the release, in a sentence fragment. */
export function decisionDescription(
  t: Translate,
  decision: EntityDecision,
): string {
  return t(`labels.decisionDescription.${decision}`);
}

export function scanStatusLabel(t: Translate, status: ScanStatus): string {
  return t(`labels.scanStatus.${status}`);
}

export function findingStatusLabel(
  t: Translate,
  status: FindingStatus,
): string {
  return t(`labels.findingStatus.${status}`);
}

export function acceptanceStatusLabel(
  t: Translate,
  status: AcceptanceStatus,
): string {
  return t(`labels.acceptanceStatus.${status}`);
}

export function acceptanceActionLabel(
  t: Translate,
  action: AcceptanceEvent['action'],
): string {
  return t(`labels.acceptanceAction.${action}`);
}

/** What an acceptance waives, in words: one finding or every finding of a rule. */
export function describeAcceptanceScope(
  t: Translate,
  acceptance: Pick<RiskAcceptance, 'fingerprint' | 'ruleId'>,
): string {
  if (acceptance.ruleId)
    return t('labels.scope.rule', { ruleId: acceptance.ruleId });
  if (acceptance.fingerprint)
    return t('labels.scope.finding', {
      fingerprint: acceptance.fingerprint.slice(0, 12),
    });
  return '—';
}
