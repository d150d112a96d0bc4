export { POLICY_API_VERSION, DECISION_RANK } from './types';
export type {
  Policy,
  RuleOverride,
  AllowEntry,
  Acceptance,
  Suppression,
  EvaluatedFinding,
  PolicyEvaluation,
  ReleaseDecision,
} from './types';
export { DEFAULT_POLICY } from './defaults';
export { parsePolicy, PolicyError, type PolicyIssue } from './parsePolicy';
export { parseExpiry } from './expiry';
export {
  evaluatePolicy,
  PICKLE_FORMAT_RULE_ID,
  type EvaluateOptions,
} from './evaluatePolicy';
export { scanOptionsFromPolicy, withFailOn } from './scanOptions';
