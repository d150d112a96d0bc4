/*
 * Standalone entry for `yarn workspace @ml-governance/plugin-ml-governance-backend start`:
 * the plugin with guest credentials, allow-all permissions and an in-memory catalog pointing at the
 * repository's example models. Try:
 *   curl localhost:7007/api/ml-governance/entities/resource/default/fraud-scorer-model/summary
 */
import { resolve } from 'node:path';
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { modelEntity } from '../src/__testUtils__/testData';

const examples = resolve(__dirname, '../../../examples');

function model(name: string, artifacts: string): Entity {
  return modelEntity({
    name,
    owner: 'group:default/fraud-detection',
    catalogFile: resolve(examples, 'catalog.yaml'),
    artifacts,
  });
}

const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(mockServices.userInfo.factory());
backend.add(
  mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
);
backend.add(
  catalogServiceMock.factory({
    entities: [
      model('fraud-scorer-model', 'file:./models/fraud-scorer'),
      model('fraud-feature-encoder', 'file:./models/fraud-features'),
    ],
  }),
);
backend.add(import('../src'));
backend.start();
