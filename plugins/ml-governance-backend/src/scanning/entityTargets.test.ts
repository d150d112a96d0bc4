import type { Entity } from '@backstage/catalog-model';
import { entityTargets } from './entityTargets';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'm', annotations },
    spec: {},
  };
}

describe('entityTargets', () => {
  it('adds each ml-governance.io/image reference as an oci:// target beside the source default', () => {
    expect(
      entityTargets(
        entity({
          'backstage.io/source-location': 'url:https://github.com/acme/svc',
          'ml-governance.io/image': `ghcr.io/acme/serving:1.4, oci://registry.internal:5000/ml/srv@sha256:${'a'.repeat(
            64,
          )}, ghcr.io/acme/serving:1.4`,
        }),
      ),
    ).toEqual([
      'url:https://github.com/acme/svc',
      'oci://ghcr.io/acme/serving:1.4',
      `oci://registry.internal:5000/ml/srv@sha256:${'a'.repeat(64)}`,
    ]);
  });

  it('resolves relative file targets against the entity catalog file and merges artifacts and source', () => {
    expect(
      entityTargets(
        entity({
          'backstage.io/managed-by-location':
            'file:/repo/examples/catalog.yaml',
          'ml-governance.io/artifacts':
            'file:./models/fraud, url:https://github.com/acme/m/tree/main/weights',
          'ml-governance.io/source': 'file:../services/scorer',
        }),
      ),
    ).toEqual([
      'file:/repo/examples/models/fraud',
      'url:https://github.com/acme/m/tree/main/weights',
      'file:/repo/services/scorer',
    ]);
  });

  it('falls back to backstage.io/source-location', () => {
    expect(
      entityTargets(
        entity({
          'backstage.io/source-location':
            'url:https://github.com/acme/m/tree/main/',
        }),
      ),
    ).toEqual(['url:https://github.com/acme/m/tree/main/']);
  });

  it('keeps a relative file target it cannot place, so the scan reports it instead of skipping it', () => {
    expect(
      entityTargets(entity({ 'ml-governance.io/artifacts': 'file:./models' })),
    ).toEqual(['file:./models']);
  });
});
