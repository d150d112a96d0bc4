import { createRouteRef } from '@backstage/core-plugin-api';

/** The ML Governance section of the portal (`/ml-governance` in the new frontend system). */
export const rootRouteRef = createRouteRef({ id: 'ml-governance' });
/** The approvals queue. */
export const approvalsRouteRef = createRouteRef({
  id: 'ml-governance:approvals',
});
/** Team risk dashboards: the list, and each team at `:namespace/:name` below it. */
export const teamsRouteRef = createRouteRef({ id: 'ml-governance:teams' });
/** The stale-import reports. */
export const reportsRouteRef = createRouteRef({ id: 'ml-governance:reports' });
/** The "ML Governance" tab of an entity. */
export const entityContentRouteRef = createRouteRef({
  id: 'ml-governance:entity-content',
});
/** The "Risk" tab of a Group entity. */
export const groupRiskRouteRef = createRouteRef({
  id: 'ml-governance:group-risk',
});

/** Path of the entity tab, relative to the entity page; the card and dashboards link to it. */
export const ENTITY_CONTENT_PATH = 'ml-governance';
/** Path of the team risk tab on Group entities. */
export const GROUP_CONTENT_PATH = 'risk';
