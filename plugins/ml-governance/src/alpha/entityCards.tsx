import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isMlEntity, isModelApiAvailable } from '../predicates';

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

/**
 * `entity-card:ml-governance/model-api-probes` on the overview of entities that declare a model API
 * (`ml-governance.io/model-api`): probe runs against the baseline band.
 *
 * @alpha
 */
export const entityModelApiProbesCard = EntityCardBlueprint.make({
  name: 'model-api-probes',
  params: {
    filter: isModelApiAvailable,
    loader: () =>
      import('../components/ModelApiProbes/ModelApiProbeCard').then(m => (
        <m.ModelApiProbeCard />
      )),
  },
});
