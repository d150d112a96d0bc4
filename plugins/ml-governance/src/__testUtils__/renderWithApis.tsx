import type { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { MlGovernanceClient } from '@ml-governance/plugin-ml-governance-common';
import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import {
  TranslationApi,
  translationApiRef,
} from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../translation';
import { mlGovernanceApiRef } from '../api';

/** Where the msw handlers in tests listen. */
export const API_BASE = 'http://backstage.test/api/ml-governance';

export interface RenderOptions {
  /** Permission names the signed-in user holds; everything else is denied. Default: all. */
  allow?: string[] | 'all';
  /** The signed-in user. */
  userEntityRef?: string;
  /** The signed-in user's ownership claims (default: the user alone). */
  ownershipEntityRefs?: string[];
  entity?: Entity;
  /** Receives the name of every permission the UI asks about. */
  permissionLog?: string[];
  /** Initial route, for pages with their own routes. */
  routeEntries?: string[];
  /** Messages an app overrides (by flattened key, e.g. 'findings.details'), as createTranslationMessages would. */
  translations?: MessageOverrides;
  /** A whole translation API instead (e.g. one that marks every message); wins over `translations`. */
  translationApi?: TranslationApi;
}

export type MessageOverrides = Partial<
  Record<keyof typeof mlGovernanceTranslationRef.T, string>
>;

/**
 * The test-utils translation API (default messages, real interpolation) with some of the plugin's
 * messages replaced, the way an app's translation resource replaces them.
 */
function translationApiWith(overrides: MessageOverrides): TranslationApi {
  const base = mockApis.translation();
  return {
    getTranslation: ref => {
      const snapshot = base.getTranslation(ref);
      if (!snapshot.ready || ref.id !== mlGovernanceTranslationRef.id) {
        return snapshot;
      }
      const t = ((key: string, options?: any) =>
        (overrides as Record<string, string | undefined>)[key] ??
        (snapshot.t as any)(key, options)) as typeof snapshot.t;
      return { ready: true, t };
    },
    translation$: ref => base.translation$(ref),
  };
}

function permissionApi(allow: string[] | 'all', log?: string[]): PermissionApi {
  return {
    authorize: async request => {
      log?.push(request.permission.name);
      const allowed =
        allow === 'all' || allow.includes(request.permission.name);
      // AuthorizeResult's values, without importing permission-common into the plugin
      return { result: (allowed ? 'ALLOW' : 'DENY') as any };
    },
  };
}

/**
 * Renders a component in a test app with the real MlGovernanceClient (talking to msw), a
 * permission API that allows the given permissions, a signed-in user and, optionally, an entity.
 */
export function renderWithApis(
  element: ReactElement,
  options: RenderOptions = {},
) {
  const client = new MlGovernanceClient({
    discoveryApi: {
      getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}`,
    },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
  const withEntity = options.entity ? (
    <EntityProvider entity={options.entity}>{element}</EntityProvider>
  ) : (
    element
  );
  // usePermission caches answers in SWR's global cache and dedupes a repeated question for 2 s, so
  // one test's DENY would be what the next test's user sees; every render gets its own cache.
  const content = (
    <SWRConfig value={{ provider: () => new Map() }}>{withEntity}</SWRConfig>
  );
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [mlGovernanceApiRef, client],
        [
          permissionApiRef,
          permissionApi(options.allow ?? 'all', options.permissionLog),
        ],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: options.userEntityRef ?? 'user:default/owner',
            ...(options.ownershipEntityRefs
              ? { ownershipEntityRefs: options.ownershipEntityRefs }
              : {}),
          }),
        ],
        ...(options.translationApi || options.translations
          ? [
              [
                translationApiRef,
                options.translationApi ??
                  translationApiWith(options.translations ?? {}),
              ] as [typeof translationApiRef, TranslationApi],
            ]
          : []),
      ]}
    >
      {content}
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: options.routeEntries,
    },
  );
}
