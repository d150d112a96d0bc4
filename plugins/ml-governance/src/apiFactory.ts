import {
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { MlGovernanceClient } from '@ml-governance/plugin-ml-governance-common';
import { mlGovernanceApiRef } from './api';

/**
 * The default API: the HTTP client over the app's discovery and (authenticated) fetch. The new
 * frontend system installs it through `ApiBlueprint`, legacy apps through `createPlugin({ apis })`.
 */
export const mlGovernanceApiFactory = createApiFactory({
  api: mlGovernanceApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new MlGovernanceClient({ discoveryApi, fetchApi }),
});
