import { createApiRef } from '@backstage/frontend-plugin-api';
import type { MlGovernanceApi } from '@ml-governance/plugin-ml-governance-common';

/**
 * The ML Governance API as seen by the frontend. The default implementation is
 * `MlGovernanceClient` from `-common`; apps may override it (e.g. a mock in dev). One ref serves
 * both frontend systems.
 *
 * @public
 */
export const mlGovernanceApiRef = createApiRef<MlGovernanceApi>().with({
  id: 'plugin.ml-governance.api',
  pluginId: 'ml-governance',
});
