/**
 * ML Governance frontend: entity card and tab, approvals, team risk dashboards and the
 * stale-import report. Legacy frontend system here; the new system in `./alpha`.
 *
 * @packageDocumentation
 */
export {
  mlGovernancePlugin,
  EntityMlGovernanceCard,
  EntityModelApiProbesCard,
  EntityMlGovernanceContent,
  EntityGroupMlRiskContent,
  MlGovernanceApprovalsPage,
  MlGovernanceTeamPage,
  MlGovernanceReportsPage,
} from './plugin';
export { mlGovernanceApiRef } from './api';
export {
  isMlEntity,
  isMlGovernanceAvailable,
  isModelApiAvailable,
  isGroupEntity,
} from './predicates';
