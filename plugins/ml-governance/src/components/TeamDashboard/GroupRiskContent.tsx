import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { TeamDashboard } from './TeamDashboard';

/** The "Risk" tab of a Group entity: that team's dashboard. */
export function GroupRiskContent() {
  const { entity } = useEntity();
  return <TeamDashboard groupRef={stringifyEntityRef(entity)} />;
}
