import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** `to-decide`: requests waiting for the caller's decision; `mine`: the caller's own requests. */
export function useAcceptanceList(view: 'to-decide' | 'mine') {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(
    () =>
      api.listAcceptances(
        view === 'to-decide' ? { view, status: ['requested'] } : { view },
      ),
    [api, view],
  );
}
