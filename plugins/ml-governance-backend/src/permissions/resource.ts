import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { ML_GOVERNANCE_ENTITY_RESOURCE_TYPE } from '@ml-governance/plugin-ml-governance-common';

/**
 * What entity-scoped permission rules look at: the entity's ref, kind and owner (denormalised).
 *
 * @public
 */
export interface MlGovernanceEntityResource {
  entityRef: string;
  kind: string;
  owner?: string;
}

/**
 * Query shape rules translate to (for filtering lists by entity).
 *
 * @public
 */
export type MlGovernanceEntityQuery =
  | { key: 'owner'; values: string[] }
  | { key: 'kind'; values: string[] };

/**
 * The permission resource of ML Governance entities, for conditional decisions.
 *
 * @public
 */
export const mlGovernanceEntityResourceRef = createPermissionResourceRef<
  MlGovernanceEntityResource,
  MlGovernanceEntityQuery
>().with({
  pluginId: 'ml-governance',
  resourceType: ML_GOVERNANCE_ENTITY_RESOURCE_TYPE,
});
