import { createConditionExports } from '@backstage/plugin-permission-node';
import { mlGovernanceEntityResourceRef } from './resource';
import { mlGovernanceEntityRules } from './rules';

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: mlGovernanceEntityResourceRef,
  rules: mlGovernanceEntityRules,
});

/**
 * Conditions for permission policy authors, e.g.
 * `createMlGovernanceConditionalDecision(permission, mlGovernanceConditions.isEntityOwner({ claims }))`.
 *
 * @public
 */
export const mlGovernanceConditions = conditions;
/**
 * Builds a conditional permission decision on ML Governance entities, for permission policies.
 *
 * @public
 */
export const createMlGovernanceConditionalDecision = createConditionalDecision;
