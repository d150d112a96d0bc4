/*
 * The example portal's backend: catalog, auth (guest sign-in for local use), permissions with the
 * ML Governance policy, notifications and signals, and the ML Governance plugin.
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Auth: guest sign-in for local use (https://backstage.io/docs/auth/guest/provider)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Sign-in from a trusted proxy's `x-forwarded-user` header; enabled only where configured
// (app-config.e2e.yaml uses it to act as distinct example users in browser tests).
backend.add(
  import('@backstage/plugin-auth-backend-module-oauth2-proxy-provider'),
);

// Catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Permissions: the example portal's policy (approvers decide, owners request, the rest is open)
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

// Events bus shared by catalog, notifications and signals
backend.add(import('@backstage/plugin-events-backend'));

// User settings, notifications and signals
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// ML Governance
backend.add(import('@ml-governance/plugin-ml-governance-backend'));

backend.start();
