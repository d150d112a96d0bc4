import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** Every risk acceptance on the entity, with its history. */
export function useEntityAcceptances(entityRef: string) {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(
    () => api.getEntityAcceptances(entityRef),
    [api, entityRef],
  );
}
