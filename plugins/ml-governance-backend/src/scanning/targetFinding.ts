import { fingerprintOf, getRule } from '@ml-governance/scanner';
import type { ScannedFinding } from '../database/MlGovernanceStore';

const RETEST = 'Rescan the entity from its ML Governance tab';

/**
 * A finding the backend raises about a whole target (it could not be read, its digest is rejected,
 * it names a moving reference, the scan itself failed). Keyed by what it is about, so it resolves
 * once that changes; the message is bounded like the scanner's.
 */
export function targetFinding(input: {
  ruleId: string;
  target: string;
  key: string;
  message: string;
  evidence?: Record<string, string>;
  /** Default: the rule's own fix. */
  fix?: string;
}): ScannedFinding {
  const rule = getRule(input.ruleId);
  const { target } = input;
  return {
    fingerprint: fingerprintOf({
      ruleId: rule.id,
      location: { path: target },
      key: input.key,
    }),
    target,
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    cwe: rule.cwe,
    owaspLlm: rule.owaspLlm,
    message: input.message.slice(0, 1000),
    location: { path: target },
    evidence: { target, ...input.evidence },
    fix: input.fix ?? rule.fix,
    retest: RETEST,
    docsUrl: '',
  };
}
