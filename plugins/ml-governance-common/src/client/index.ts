export {
  MlGovernanceClient,
  ML_GOVERNANCE_PLUGIN_ID,
  entityPath,
} from './MlGovernanceClient';
export type {
  MlGovernanceDiscovery,
  MlGovernanceFetch,
} from './MlGovernanceClient';
