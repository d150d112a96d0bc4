import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import request from 'supertest';
import {
  ALICE,
  BOB,
  DAVE,
  MALLORY,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';
import { modelEntity } from '../__testUtils__/testData';

jest.setTimeout(60_000);

describe('list-promotions-to-sign', () => {
  let harness: TestHarness;
  let registry: ReturnType<typeof actionsRegistryServiceMock>;
  const invoke = (credentials: BackstageCredentials) =>
    registry.invoke({
      id: 'test:list-promotions-to-sign',
      input: {} as any,
      credentials,
    });

  beforeAll(async () => {
    registry = actionsRegistryServiceMock();
    const root = mkdtempSync(join(tmpdir(), 'mlgov-promotion-action-'));
    mkdirSync(join(root, 'release'));
    writeFileSync(join(root, 'release', 'README.md'), '# card\n');
    harness = await startMlGovernanceBackend({
      allowedFileRoots: [root],
      entities: [
        modelEntity({
          name: 'promo-model',
          owner: 'group:default/fraud',
          catalogFile: join(root, 'catalog-info.yaml'),
          artifacts: 'file:./release',
        }),
      ],
      extraFeatures: [
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => registry,
        }),
      ],
    });
    await harness.runTask('ml-governance-scan-round');
    const versions = await request(harness.server)
      .get('/api/ml-governance/entities/resource/default/promo-model/versions')
      .set('Authorization', mockCredentials.user.header(ALICE));
    const res = await request(harness.server)
      .post(
        `/api/ml-governance/versions/${versions.body[0].id}/promotion-request`,
      )
      .set('Authorization', mockCredentials.user.header(ALICE))
      .send({ revision: versions.body[0].revision });
    if (res.status !== 200)
      throw new Error(`promotion request failed: ${res.status} ${res.text}`);
  });

  afterAll(() => harness.stop());

  it('lists what each user may still sign, never their own request', async () => {
    const bob = (await invoke(mockCredentials.user(BOB))).output as any;
    expect(bob.promotions).toEqual([
      expect.objectContaining({
        entityRef: 'resource:default/promo-model',
        requestedBy: ALICE,
        canSignOff: ['security'],
      }),
    ]);
    // Dave owns the entity and approves: either sign-off is his to give (one of them).
    const dave = (await invoke(mockCredentials.user(DAVE))).output as any;
    expect(dave.promotions[0].canSignOff).toEqual(['security', 'owner']);
    expect(
      ((await invoke(mockCredentials.user(ALICE))).output as any).promotions,
    ).toEqual([]);
    // Mallory may not read the entity (owner-only reads for non-approvers): nothing to see.
    expect(
      ((await invoke(mockCredentials.user(MALLORY))).output as any).promotions,
    ).toEqual([]);
    await expect(invoke(mockCredentials.service())).rejects.toThrow(
      /signed-in user/,
    );
  });
});
