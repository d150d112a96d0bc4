import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** Every team (owner group) with governed entities, with its decisions and counts. */
export function useTeams() {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(() => api.listTeams(), [api]);
}
