import { createRouteRef } from '@backstage/frontend-plugin-api';

// Route refs of the new frontend system; the legacy plugin (plugin.ts) converts them for legacy apps.

/** The ML Governance section of the portal (`/ml-governance` in the new frontend system). */
export const rootRouteRef = createRouteRef();
/** The approvals queue. */
export const approvalsRouteRef = createRouteRef();
/** Team risk dashboards: the list, and each team at `:namespace/:name` below it. */
export const teamsRouteRef = createRouteRef();
/** The stale-import reports. */
export const reportsRouteRef = createRouteRef();
/** The "ML Governance" tab of an entity. */
export const entityContentRouteRef = createRouteRef();
/** The "Risk" tab of a Group entity. */
export const groupRiskRouteRef = createRouteRef();

/** Path of the entity tab, relative to the entity page; the card and dashboards link to it. */
export const ENTITY_CONTENT_PATH = 'ml-governance';
/** Path of the team risk tab on Group entities. */
export const GROUP_CONTENT_PATH = 'risk';
