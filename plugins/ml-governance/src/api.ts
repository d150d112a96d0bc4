import { createApiRef } from '@backstage/core-plugin-api';
import type { MlGovernanceApi } from '@ml-governance/plugin-ml-governance-common';

/**
 * The ML Governance API as seen by the frontend. The default implementation is
 * `MlGovernanceClient` from `-common`; apps may override it (e.g. a mock in dev).
 *
 * @public
 */
export const mlGovernanceApiRef = createApiRef<MlGovernanceApi>({
  id: 'plugin.ml-governance.api',
});
