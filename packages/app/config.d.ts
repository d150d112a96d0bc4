export interface Config {
  app?: {
    signIn?: {
      /**
       * Sign in through the oauth2Proxy provider (a trusted proxy sets `x-forwarded-user`) instead of
       * guest sign-in. Used by the end-to-end tests; only behind a real authenticating proxy otherwise.
       * @visibility frontend
       */
      proxied?: boolean;
    };
  };
}
