export { default } from './plugin';
export { mlGovernanceApi } from './apis';
export {
  entityMlGovernanceCard,
  entityModelApiProbesCard,
} from './entityCards';
export {
  entityGroupRiskContent,
  entityMlGovernanceContent,
} from './entityContents';
export {
  approvalsSubPage,
  mlGovernancePage,
  reportsSubPage,
  teamsSubPage,
} from './pages';
export { mlGovernanceTranslationRef } from '../translation';
