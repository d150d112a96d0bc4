import { ProxiedSignInPage, SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';

/**
 * Guest sign-in for local use; behind a trusted auth proxy (`app.signIn.proxied: true`), sign-in through
 * the oauth2Proxy provider instead, which the end-to-end tests use to act as distinct example users.
 */
export function ConfiguredSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  if (config.getOptionalBoolean('app.signIn.proxied')) {
    return <ProxiedSignInPage {...props} provider="oauth2Proxy" />;
  }
  return <SignInPage {...props} providers={['guest']} />;
}
