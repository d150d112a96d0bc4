import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** The stale-import reports generated so far (metadata only), newest first. */
export function useStaleImportReports() {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(() => api.listStaleImportReports(), [api]);
}

/** One stale-import report (`latest` for the newest). */
export function useStaleImportReport(id: string) {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(() => api.getStaleImportReport(id), [api, id]);
}
