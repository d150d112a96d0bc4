import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** One team's risk: per-entity decisions, trend, top rules and oldest open findings. */
export function useTeamSummary(groupRef: string, trendDays = 30) {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(
    () => api.getTeamSummary(groupRef, { trendDays }),
    [api, groupRef, trendDays],
  );
}
