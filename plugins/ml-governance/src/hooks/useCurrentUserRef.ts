import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';

/**
 * The signed-in user's entity ref, or undefined while it loads. Used to hide decide buttons on the
 * user's own requests (the backend refuses them anyway).
 */
export function useCurrentUserRef(): string | undefined {
  const identityApi = useApi(identityApiRef);
  const { value } = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  );
  return value;
}
