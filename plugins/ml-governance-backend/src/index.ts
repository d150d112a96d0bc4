/**
 * ML Governance backend plugin.
 *
 * @packageDocumentation
 */
export { mlGovernancePlugin as default } from './plugin';
export {
  mlGovernanceConditions,
  createMlGovernanceConditionalDecision,
} from './permissions/conditions';
export {
  mlGovernanceEntityRules,
  isEntityOwner,
  isEntityKind,
} from './permissions/rules';
export {
  mlGovernanceEntityResourceRef,
  type MlGovernanceEntityResource,
  type MlGovernanceEntityQuery,
} from './permissions/resource';
export {
  mlGovernanceClockServiceRef,
  type MlGovernanceClockService,
} from './service/clock';
