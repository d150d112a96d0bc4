import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** The probe runs of the entity's model API, oldest first, with their baseline. */
export function useModelApiProbes(entityRef: string) {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(
    () => api.getModelApiProbes(entityRef),
    [api, entityRef],
  );
}
