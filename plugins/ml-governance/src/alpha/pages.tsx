import { Content } from '@backstage/core-components';
import {
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import { ReactNode } from 'react';
import {
  approvalsRouteRef,
  reportsRouteRef,
  rootRouteRef,
  teamsRouteRef,
} from '../routes';
import { mlGovernanceExtensionTitles as titles } from '../translation';

function inContent(element: ReactNode) {
  return <Content>{element}</Content>;
}

/**
 * `page:ml-governance` at `/ml-governance`: a tabbed page (approvals, teams, reports); its title and
 * icon make the sidebar's "ML Governance" item.
 *
 * @alpha
 */
export const mlGovernancePage = PageBlueprint.make({
  params: {
    path: '/ml-governance',
    title: titles.page,
    icon: <VerifiedUserIcon />,
    routeRef: rootRouteRef,
  },
});

/**
 * `/ml-governance/approvals`.
 *
 * @alpha
 */
export const approvalsSubPage = SubPageBlueprint.make({
  name: 'approvals',
  params: {
    path: 'approvals',
    title: titles.approvals,
    routeRef: approvalsRouteRef,
    loader: () =>
      import('../components/Approvals/ApprovalsPage').then(m =>
        inContent(<m.ApprovalsPage />),
      ),
  },
});

/**
 * `/ml-governance/teams` and `/ml-governance/teams/:namespace/:name`.
 *
 * @alpha
 */
export const teamsSubPage = SubPageBlueprint.make({
  name: 'teams',
  params: {
    path: 'teams',
    title: titles.teams,
    routeRef: teamsRouteRef,
    loader: () =>
      import('../components/TeamDashboard/TeamsPage').then(m =>
        inContent(<m.TeamsPage />),
      ),
  },
});

/**
 * `/ml-governance/reports`.
 *
 * @alpha
 */
export const reportsSubPage = SubPageBlueprint.make({
  name: 'reports',
  params: {
    path: 'reports',
    title: titles.reports,
    routeRef: reportsRouteRef,
    loader: () =>
      import('../components/Reports/StaleImportReportPage').then(m =>
        inContent(<m.StaleImportReportPage />),
      ),
  },
});
