import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { mlGovernanceApiFactory } from '../apiFactory';

/**
 * The ML Governance API, overridable by apps as `api:ml-governance`.
 *
 * @alpha
 */
export const mlGovernanceApi = ApiBlueprint.make({
  params: defineParams => defineParams(mlGovernanceApiFactory),
});
