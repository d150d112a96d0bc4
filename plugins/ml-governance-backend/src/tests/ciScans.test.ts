import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { scannedFinding } from '../__testUtils__/testData';
import {
  ALICE,
  BOB,
  MALLORY,
  createExampleCatalog,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const API = '/api/ml-governance';
const CLEAN = 'resource/default/clean-model';
const REPORT_ONLY_TOKEN = 'report-only-token-0123456789abcdef';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const RUN_URL = 'https://github.example.com/acme/models/actions/runs/42';

const user = (ref: string) => mockCredentials.user.header(ref);
const reportOnly = `Bearer ${REPORT_ONLY_TOKEN}`;

function upload(
  harness: TestHarness,
  authorization: string,
  body: unknown,
  entity = CLEAN,
) {
  return request(harness.server)
    .post(`${API}/entities/${entity}/ci-scans`)
    .set('Authorization', authorization)
    .send(body as object);
}

async function scanRuns(
  harness: TestHarness,
  entity = CLEAN,
  authorization = user(MALLORY),
) {
  const res = await request(harness.server)
    .get(`${API}/entities/${entity}/scans?limit=200`)
    .set('Authorization', authorization);
  expect(res.status).toBe(200);
  return res.body as {
    trigger: string;
    decision?: string;
    provenance?: Record<string, string>;
  }[];
}

async function openFindings(harness: TestHarness, entity = CLEAN) {
  const res = await request(harness.server)
    .get(`${API}/entities/${entity}/findings?status=open&limit=500`)
    .set('Authorization', user(MALLORY));
  expect(res.status).toBe(200);
  return res.body as {
    total: number;
    items: { fingerprint: string; message: string }[];
  };
}

const PLUGIN_WIDE_TOKEN = 'plugin-wide-token-0123456789abcdef';
const wide = `Bearer ${PLUGIN_WIDE_TOKEN}`;

describe('a static token confined to ml-governance.scan.report', () => {
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
                options: { token: REPORT_ONLY_TOKEN, subject: 'ci-report' },
                accessRestrictions: [
                  {
                    plugin: 'ml-governance',
                    permission: 'ml-governance.scan.report',
                  },
                ],
              },
              {
                type: 'static',
                options: { token: PLUGIN_WIDE_TOKEN, subject: 'ci-wide' },
                accessRestrictions: [{ plugin: 'ml-governance' }],
              },
            ],
          },
        },
      },
    });
    await harness.runTask('ml-governance-scan-round');
  });

  afterAll(() => harness.stop());

  it('stores a report-only token upload and recomputes the decision, ignoring the uploaded one', async () => {
    const before = await request(harness.server)
      .get(`${API}/gate/${CLEAN}`)
      .set('Authorization', wide);
    expect(before.body.decision).toBe('PASS');

    const res = await upload(harness, reportOnly, {
      findings: [scannedFinding('ci-finding-1', { target: 'file:./clean' })],
      decision: 'PASS', // a lie: a critical finding blocks under the default policy
      commitSha: SHA,
      runUrl: RUN_URL,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      trigger: 'ci',
      status: 'succeeded',
      decision: 'BLOCK',
    });
    expect(res.body.provenance).toEqual({
      commitSha: SHA,
      runUrl: RUN_URL,
      uploadedBy: 'ci-report',
    });

    const gate = await request(harness.server)
      .get(`${API}/gate/${CLEAN}`)
      .set('Authorization', wide);
    expect(gate.body.decision).toBe('BLOCK');
    expect(
      gate.body.blocking.map((b: { fingerprint: string }) => b.fingerprint),
    ).toContain('ci-finding-1');
    const runs = await scanRuns(harness, CLEAN, wide);
    // The test clock stands still, so runs tie on startedAt: look the CI run up rather than take runs[0].
    expect(runs.find(run => run.trigger === 'ci')).toMatchObject({
      trigger: 'ci',
      decision: 'BLOCK',
      provenance: { commitSha: SHA },
    });
  });

  it('does not let the report-only token read findings, scans or the gate', async () => {
    for (const path of [
      `/entities/${CLEAN}/findings`,
      `/entities/${CLEAN}/scans`,
      `/entities/${CLEAN}/summary`,
      `/gate/${CLEAN}`,
    ]) {
      const res = await request(harness.server)
        .get(API + path)
        .set('Authorization', reportOnly);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
  });
});

describe('CI scan uploads by users', () => {
  let harness: TestHarness;

  beforeAll(async () => {
    const catalog = createExampleCatalog();
    harness = await startMlGovernanceBackend({
      entities: catalog.entities,
      allowedFileRoots: [catalog.root],
    });
    await harness.runTask('ml-governance-scan-round');
  });

  afterAll(() => harness.stop());

  it('refuses a user who does not own the entity (403) and stores nothing', async () => {
    const runsBefore = (await scanRuns(harness)).length;
    const res = await upload(harness, user(ALICE), { findings: [] });
    expect(res.status).toBe(403);
    expect(await scanRuns(harness)).toHaveLength(runsBefore);
    const owner = await upload(harness, user(MALLORY), {
      findings: [scannedFinding('ci-finding-1', { target: 'file:./clean' })],
    });
    expect(owner.status).toBe(201);
  });

  it('refuses hostile uploads with a 400 and leaves every row as it was', async () => {
    const runsBefore = (await scanRuns(harness)).length;
    const findingsBefore = await openFindings(harness);
    const hostile = [
      {
        findings: [scannedFinding('nul', { message: 'os.system\u0000hidden' })],
      },
      {
        findings: Array.from({ length: 25_001 }, (_, i) =>
          scannedFinding(`f${i}`),
        ),
      },
      { findings: [{ ...scannedFinding('extra'), status: 'accepted' }] },
      { findings: [scannedFinding('big', { message: 'x'.repeat(5_000) })] },
      { findings: [], commitSha: 'not-a-sha; rm -rf /' },
      { findings: [], runUrl: 'file:///etc/passwd' },
    ];
    for (const body of hostile) {
      const res = await upload(harness, user(MALLORY), body);
      expect(res.status).toBe(400);
    }
    expect(await scanRuns(harness)).toHaveLength(runsBefore);
    expect(await openFindings(harness)).toEqual(findingsBefore);
  });

  it('makes the scheduled round skip the entity while the CI results are fresh', async () => {
    const cleanRuns = (await scanRuns(harness)).length;
    const fraudRuns = (
      await scanRuns(harness, 'resource/default/fraud-model', user(BOB))
    ).length;
    harness.clock.now = new Date(harness.clock.now.getTime() + 3_600_000);
    await harness.runTask('ml-governance-scan-round');
    expect(await scanRuns(harness)).toHaveLength(cleanRuns);
    expect(
      (await scanRuns(harness, 'resource/default/fraud-model', user(BOB)))
        .length,
    ).toBeGreaterThan(fraudRuns);

    // After freshFor (24 h by default) the scheduler scans it again.
    harness.clock.now = new Date(harness.clock.now.getTime() + 25 * 3_600_000);
    await harness.runTask('ml-governance-scan-round');
    const runs = await scanRuns(harness);
    expect(runs.length).toBe(cleanRuns + 1);
    expect(runs[0].trigger).toBe('schedule');
  });
});
