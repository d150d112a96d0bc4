import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { MlGovernanceClient } from '@ml-governance/plugin-ml-governance-common';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { mlGovernanceApiRef } from '../api';
import { modelEntity, summary } from '../__testUtils__/fixtures';
import { API_BASE } from '../__testUtils__/renderWithApis';
import { setupMswServer } from '../__testUtils__/server';
import { entityMlGovernanceCard } from './entityCards';
import {
  entityGroupRiskContent,
  entityMlGovernanceContent,
} from './entityContents';

const server = setupMswServer();

const website = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'docs-site' },
  spec: { type: 'website' },
};
const group = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'ml-platform' },
  spec: {},
};

describe('new frontend system extensions', () => {
  it('puts the card on ML entities only', () => {
    const filter = createExtensionTester(entityMlGovernanceCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(modelEntity)).toBe(true);
    expect(filter({ ...website, spec: { type: 'model-server' } })).toBe(true);
    expect(filter(website)).toBe(false);
  });

  it('adds the "ML Governance" tab on ML entities and the "Risk" tab on groups', () => {
    const entityTab = createExtensionTester(entityMlGovernanceContent);
    const entityFilter = entityTab.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    )!;
    expect(entityTab.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'ML Governance',
    );
    expect(entityFilter(modelEntity)).toBe(true);
    expect(entityFilter(group)).toBe(false);

    const groupTab = createExtensionTester(entityGroupRiskContent);
    const groupFilter = groupTab.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    )!;
    expect(groupTab.get(EntityContentBlueprint.dataRefs.title)).toBe('Risk');
    expect(groupFilter(group)).toBe(true);
  });

  it('renders the card through the extension in a new-system test app', async () => {
    server.use(
      http.get(
        `${API_BASE}/entities/resource/default/fraud-model/summary`,
        () => HttpResponse.json(summary({ decision: 'TICKET' })),
      ),
    );
    const client = new MlGovernanceClient({
      discoveryApi: {
        getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}`,
      },
    });
    renderInTestApp(
      <EntityProvider entity={modelEntity}>
        {createExtensionTester(entityMlGovernanceCard).reactElement()}
      </EntityProvider>,
      {
        apis: [
          [mlGovernanceApiRef, client],
          [permissionApiRef, mockApis.permission()],
        ],
        mountedRoutes: {
          '/catalog/:namespace/:kind/:name':
            convertLegacyRouteRef(entityRouteRef),
        },
      },
    );

    expect(
      await screen.findByTestId('ml-governance-decision'),
    ).toHaveTextContent('TICKET');
  });
});
