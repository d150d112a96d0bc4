import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** The entity's artifact versions, with stage, sign-offs and audit trail. */
export function useEntityVersions(entityRef: string) {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(
    () => api.getEntityVersions(entityRef),
    [api, entityRef],
  );
}

/** Promotions and acceptances the signed-in user can decide. */
export function useApprovalsInbox() {
  const api = useApi(mlGovernanceApiRef);
  return useAsyncRetry(() => api.getApprovalsInbox(), [api]);
}

/** Who is signed in and what they own (user and groups): decides which sign-off buttons show. */
export function useSignedInIdentity():
  | { userEntityRef: string; ownershipEntityRefs: string[] }
  | undefined {
  const identityApi = useApi(identityApiRef);
  const { value } = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  return value;
}
