import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isGroupEntity, isMlEntity } from '../predicates';
import {
  ENTITY_CONTENT_PATH,
  GROUP_CONTENT_PATH,
  entityContentRouteRef,
  groupRiskRouteRef,
} from '../routes';
import { mlGovernanceExtensionTitles as titles } from '../translation';

/**
 * `entity-content:ml-governance/entity`: the "ML Governance" tab of ML entities.
 *
 * @alpha
 */
export const entityMlGovernanceContent = EntityContentBlueprint.make({
  name: 'entity',
  params: {
    path: ENTITY_CONTENT_PATH,
    title: titles.entityTab,
    filter: isMlEntity,
    routeRef: entityContentRouteRef,
    loader: () =>
      import('../components/EntityContent/MlGovernanceContent').then(m => (
        <m.MlGovernanceContent />
      )),
  },
});

/**
 * `entity-content:ml-governance/group-risk`: the "Risk" tab of Group entities.
 *
 * @alpha
 */
export const entityGroupRiskContent = EntityContentBlueprint.make({
  name: 'group-risk',
  params: {
    path: GROUP_CONTENT_PATH,
    title: titles.groupRiskTab,
    filter: isGroupEntity,
    routeRef: groupRiskRouteRef,
    loader: () =>
      import('../components/TeamDashboard/GroupRiskContent').then(m => (
        <m.GroupRiskContent />
      )),
  },
});
