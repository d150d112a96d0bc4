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
 */
export const mlGovernanceConditions = conditions;
export const createMlGovernanceConditionalDecision = createConditionalDecision;
