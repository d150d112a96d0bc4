import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { mlGovernanceApiFactory } from './apiFactory';
import * as routes from './routes';

// The route refs are the new frontend system's; legacy apps get converted ones.
const rootRouteRef = convertLegacyRouteRef(routes.rootRouteRef);
const approvalsRouteRef = convertLegacyRouteRef(routes.approvalsRouteRef);
const teamsRouteRef = convertLegacyRouteRef(routes.teamsRouteRef);
const reportsRouteRef = convertLegacyRouteRef(routes.reportsRouteRef);
const entityContentRouteRef = convertLegacyRouteRef(
  routes.entityContentRouteRef,
);
const groupRiskRouteRef = convertLegacyRouteRef(routes.groupRiskRouteRef);

/**
 * ML Governance for the legacy frontend system. Apps on the new frontend system use
 * `@ml-governance/plugin-ml-governance/alpha` instead.
 *
 * @public
 */
export const mlGovernancePlugin = createPlugin({
  id: 'ml-governance',
  apis: [mlGovernanceApiFactory],
  routes: {
    root: rootRouteRef,
    approvals: approvalsRouteRef,
    teams: teamsRouteRef,
    reports: reportsRouteRef,
    entityContent: entityContentRouteRef,
    groupRisk: groupRiskRouteRef,
  },
});

/**
 * Entity overview card: release decision, open findings by severity, last scan, pending acceptances.
 * Show it on entities matching `isMlEntity`.
 *
 * @public
 */
export const EntityMlGovernanceCard: () => JSX.Element =
  mlGovernancePlugin.provide(
    createComponentExtension({
      name: 'EntityMlGovernanceCard',
      component: {
        lazy: () =>
          import('./components/EntityCard/MlGovernanceCard').then(
            m => m.MlGovernanceCard,
          ),
      },
    }),
  );

/**
 * Probe runs of a third-party model API against their baseline band (latency, similarity, refusal
 * rate), with provider, model and system prompt. Show it on entities matching `isModelApiAvailable`.
 *
 * @public
 */
export const EntityModelApiProbesCard: () => JSX.Element =
  mlGovernancePlugin.provide(
    createComponentExtension({
      name: 'EntityModelApiProbesCard',
      component: {
        lazy: () =>
          import('./components/ModelApiProbes/ModelApiProbeCard').then(
            m => m.ModelApiProbeCard,
          ),
      },
    }),
  );

/** @public The entity's "ML Governance" tab: findings, acceptances, scan history. */
export const EntityMlGovernanceContent: () => JSX.Element =
  mlGovernancePlugin.provide(
    createRoutableExtension({
      name: 'EntityMlGovernanceContent',
      mountPoint: entityContentRouteRef,
      component: () =>
        import('./components/EntityContent/MlGovernanceContent').then(
          m => m.MlGovernanceContent,
        ),
    }),
  );

/** @public The "Risk" tab of a Group entity: the team's dashboard. */
export const EntityGroupMlRiskContent: () => JSX.Element =
  mlGovernancePlugin.provide(
    createRoutableExtension({
      name: 'EntityGroupMlRiskContent',
      mountPoint: groupRiskRouteRef,
      component: () =>
        import('./components/TeamDashboard/GroupRiskContent').then(
          m => m.GroupRiskContent,
        ),
    }),
  );

/** @public The approvals queue page. */
export const MlGovernanceApprovalsPage: () => JSX.Element =
  mlGovernancePlugin.provide(
    createRoutableExtension({
      name: 'MlGovernanceApprovalsPage',
      mountPoint: approvalsRouteRef,
      component: () =>
        import('./components/Pages/legacyPages').then(
          m => m.LegacyApprovalsPage,
        ),
    }),
  );

/** @public Team risk dashboards (mount it with a trailing `/*`). */
export const MlGovernanceTeamPage: () => JSX.Element =
  mlGovernancePlugin.provide(
    createRoutableExtension({
      name: 'MlGovernanceTeamPage',
      mountPoint: teamsRouteRef,
      component: () =>
        import('./components/Pages/legacyPages').then(m => m.LegacyTeamsPage),
    }),
  );

/** @public The stale-import reports page. */
export const MlGovernanceReportsPage: () => JSX.Element =
  mlGovernancePlugin.provide(
    createRoutableExtension({
      name: 'MlGovernanceReportsPage',
      mountPoint: reportsRouteRef,
      component: () =>
        import('./components/Pages/legacyPages').then(m => m.LegacyReportsPage),
    }),
  );
