import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isMlEntity } from '../predicates';

/**
 * `entity-card:ml-governance/summary` on the overview of ML entities.
 *
 * @alpha
 */
export const entityMlGovernanceCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    filter: isMlEntity,
    loader: () =>
      import('../components/EntityCard/MlGovernanceCard').then(m => (
        <m.MlGovernanceCard />
      )),
  },
});
