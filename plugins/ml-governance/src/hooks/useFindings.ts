import { useApi } from '@backstage/frontend-plugin-api';
import type { FindingsQuery } from '@ml-governance/plugin-ml-governance-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** One server-side page of the entity's findings for the given filters. */
export function useFindings(entityRef: string, query: FindingsQuery) {
  const api = useApi(mlGovernanceApiRef);
  // The query object is rebuilt on every render; its serialised form is the real dependency.
  const queryKey = JSON.stringify(query);
  return useAsyncRetry(
    () => api.getFindings(entityRef, JSON.parse(queryKey) as FindingsQuery),
    [api, entityRef, queryKey],
  );
}
