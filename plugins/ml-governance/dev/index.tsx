import type { Entity } from '@backstage/catalog-model';
import { createDevApp } from '@backstage/dev-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityMlGovernanceCard,
  EntityMlGovernanceContent,
  MlGovernanceApprovalsPage,
  MlGovernanceReportsPage,
  MlGovernanceTeamPage,
  mlGovernancePlugin,
} from '../src';

/**
 * Standalone development app (`yarn start` in this folder): the plugin's card, tab and pages against a
 * running ML Governance backend on :7007 (`yarn workspace @ml-governance/plugin-ml-governance-backend
 * start`, or the whole portal's backend), using the example catalog's fraud scorer.
 */
const fraudScorer: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'fraud-scorer-model',
    namespace: 'default',
    annotations: { 'ml-governance.io/artifacts': 'file:./models/fraud-scorer' },
  },
  spec: { type: 'ai-model', owner: 'group:default/fraud-detection' },
};

createDevApp()
  .registerPlugin(mlGovernancePlugin)
  .addPage({
    title: 'Model',
    path: '/model',
    element: (
      <EntityProvider entity={fraudScorer}>
        <EntityMlGovernanceCard />
        <EntityMlGovernanceContent />
      </EntityProvider>
    ),
  })
  .addPage({
    title: 'Approvals',
    path: '/approvals',
    element: <MlGovernanceApprovalsPage />,
  })
  .addPage({
    title: 'Teams',
    path: '/teams',
    element: <MlGovernanceTeamPage />,
  })
  .addPage({
    title: 'Reports',
    path: '/reports',
    element: <MlGovernanceReportsPage />,
  })
  .render();
