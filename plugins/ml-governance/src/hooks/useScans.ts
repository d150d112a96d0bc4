import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** The entity's recent scan runs, newest first. */
export function useScans(entityRef: string, limit = 20) {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(
    () => api.getScans(entityRef, { limit }),
    [api, entityRef, limit],
  );
}
