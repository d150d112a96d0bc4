export {
  MlGovernanceClient,
  ML_GOVERNANCE_PLUGIN_ID,
  NEXT_CURSOR_HEADER,
  entityPath,
} from './MlGovernanceClient';
export type {
  MlGovernanceDiscovery,
  MlGovernanceFetch,
} from './MlGovernanceClient';
