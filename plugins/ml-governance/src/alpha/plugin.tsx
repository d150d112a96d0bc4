import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import {
  approvalsRouteRef,
  entityContentRouteRef,
  groupRiskRouteRef,
  reportsRouteRef,
  rootRouteRef,
  teamsRouteRef,
} from '../routes';
import { mlGovernanceApi } from './apis';
import {
  entityMlGovernanceCard,
  entityModelApiProbesCard,
} from './entityCards';
import {
  entityGroupRiskContent,
  entityMlGovernanceContent,
} from './entityContents';
import {
  approvalsSubPage,
  mlGovernancePage,
  reportsSubPage,
  teamsSubPage,
} from './pages';
import { mlGovernanceExtensionTitles as titles } from '../translation';

/**
 * ML Governance for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'ml-governance',
  title: titles.page,
  icon: <VerifiedUserIcon />,
  info: { packageJson: () => import('../../package.json') },
  routes: {
    root: rootRouteRef,
    approvals: approvalsRouteRef,
    teams: teamsRouteRef,
    reports: reportsRouteRef,
    entityContent: entityContentRouteRef,
    groupRisk: groupRiskRouteRef,
  },
  extensions: [
    mlGovernanceApi,
    entityMlGovernanceCard,
    entityModelApiProbesCard,
    entityMlGovernanceContent,
    entityGroupRiskContent,
    mlGovernancePage,
    approvalsSubPage,
    teamsSubPage,
    reportsSubPage,
  ],
});
