import { useMemo } from 'react';
import { ProxiedSignInPage, SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';

/**
 * Guest sign-in for local use. Behind a trusted auth proxy (`app.signIn.proxied: true`) users are signed
 * in from the proxy's identity header through the oauth2Proxy provider, falling back to guest sign-in
 * when the request carries no identity; the end-to-end tests use this to act as distinct example users.
 */
export function ConfiguredSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const proxied = config.getOptionalBoolean('app.signIn.proxied') ?? false;
  const { onSignInSuccess } = props;
  const GuestFallback = useMemo(
    () => () =>
      <SignInPage onSignInSuccess={onSignInSuccess} providers={['guest']} />,
    [onSignInSuccess],
  );
  if (proxied) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="oauth2Proxy"
        ErrorComponent={GuestFallback}
      />
    );
  }
  return <SignInPage {...props} providers={['guest']} />;
}
