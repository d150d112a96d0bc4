import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** Image digests, signatures and sha256 pins of the entity's last scan. */
export function useProvenance(entityRef: string) {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(() => api.getProvenance(entityRef), [api, entityRef]);
}
