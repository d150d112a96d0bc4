import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import request from 'supertest';
import {
  createExampleCatalog,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const GATE_TOKEN = 'ci-gate-token-0123456789abcdef';

/**
 * The CI gate as `mlgov gate` calls it: a Bearer static token from `backend.auth.externalAccess`,
 * confined to the gate permission as docs/configuration.md shows, through Backstage's real auth services.
 */
describe('GET /gate with an external-access static token', () => {
  let harness: TestHarness;

  beforeAll(async () => {
    const catalog = createExampleCatalog();
    harness = await startMlGovernanceBackend({
      entities: catalog.entities,
      allowedFileRoots: [catalog.root],
      extraFeatures: [authServiceFactory, httpAuthServiceFactory],
      rootConfig: {
        backend: {
          baseUrl: 'http://localhost:7007',
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: GATE_TOKEN, subject: 'ci-gate' },
                accessRestrictions: [
                  {
                    plugin: 'ml-governance',
                    permission: 'ml-governance.gate.read',
                  },
                ],
              },
            ],
          },
        },
      },
    });
    await harness.runTask('ml-governance-scan-round');
  });

  afterAll(() => harness.stop());

  it('returns the GateResponse for a valid token', async () => {
    const res = await request(harness.server)
      .get('/api/ml-governance/gate/resource/default/fraud-model')
      .set('Authorization', `Bearer ${GATE_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'resource:default/fraud-model',
      decision: 'BLOCK',
      lastScanAt: expect.any(String),
    });
    expect(res.body.blocking[0]).toEqual({
      ruleId: expect.any(String),
      title: expect.any(String),
      severity: expect.stringMatching(/critical|high/),
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('refuses missing and wrong tokens', async () => {
    const missing = await request(harness.server).get(
      '/api/ml-governance/gate/resource/default/fraud-model',
    );
    expect(missing.status).toBe(401);
    const wrong = await request(harness.server)
      .get('/api/ml-governance/gate/resource/default/fraud-model')
      .set('Authorization', 'Bearer not-the-token-000000');
    expect(wrong.status).toBe(401);
  });
});
