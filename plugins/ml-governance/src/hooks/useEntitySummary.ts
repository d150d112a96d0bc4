import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** The entity's release decision, open counts and last scan. */
export function useEntitySummary(entityRef: string) {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(() => api.getEntitySummary(entityRef), [api, entityRef]);
}
