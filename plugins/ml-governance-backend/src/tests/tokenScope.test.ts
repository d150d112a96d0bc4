import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ALICE,
  BOB,
  MALLORY,
  createExampleCatalog,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const API = '/api/ml-governance';
const FRAUD = 'resource/default/fraud-model';
const GATE_ONLY_TOKEN = 'gate-only-token-0123456789abcdef';
const PLUGIN_WIDE_TOKEN = 'plugin-wide-token-0123456789abcdef';

/** A valid call to every route; ids are filled in once real rows exist. */
function everyRoute(ids: {
  acceptanceId: string;
  reportId: string;
  fingerprint: string;
  expiresAt: string;
}) {
  return [
    { name: 'summary', method: 'get', url: `/entities/${FRAUD}/summary` },
    { name: 'findings', method: 'get', url: `/entities/${FRAUD}/findings` },
    { name: 'scans', method: 'get', url: `/entities/${FRAUD}/scans` },
    {
      name: 'rescan',
      method: 'post',
      url: `/entities/${FRAUD}/scans`,
      body: {},
    },
    {
      name: 'entity acceptances',
      method: 'get',
      url: `/entities/${FRAUD}/acceptances`,
    },
    { name: 'acceptances (all)', method: 'get', url: '/acceptances?view=all' },
    {
      name: 'acceptances (to decide)',
      method: 'get',
      url: '/acceptances?view=to-decide',
    },
    {
      name: 'acceptances (mine)',
      method: 'get',
      url: '/acceptances?view=mine',
    },
    {
      name: 'acceptance',
      method: 'get',
      url: `/acceptances/${ids.acceptanceId}`,
    },
    {
      name: 'request acceptance',
      method: 'post',
      url: '/acceptances',
      body: {
        entityRef: 'resource:default/fraud-model',
        fingerprint: ids.fingerprint,
        justification: 'Needed for the quarter-end release',
        checklist: {
          inActiveUse: true,
          saferAlternativeAvailable: false,
          sourceTrustedAndHashPinned: true,
        },
        expiresAt: ids.expiresAt,
      },
    },
    {
      name: 'decide',
      method: 'post',
      url: `/acceptances/${ids.acceptanceId}/decision`,
      body: { decision: 'reject', comment: 'no', revision: 1 },
    },
    {
      name: 'revoke',
      method: 'post',
      url: `/acceptances/${ids.acceptanceId}/revoke`,
      body: { comment: 'no', revision: 1 },
    },
    { name: 'teams', method: 'get', url: '/teams' },
    { name: 'team', method: 'get', url: '/teams/default/fraud' },
    { name: 'reports', method: 'get', url: '/reports/stale-imports' },
    {
      name: 'generate report',
      method: 'post',
      url: '/reports/stale-imports',
      body: {},
    },
    {
      name: 'report',
      method: 'get',
      url: `/reports/stale-imports/${ids.reportId}`,
    },
    {
      name: 'report export',
      method: 'get',
      url: `/reports/stale-imports/${ids.reportId}/export?format=csv`,
    },
    { name: 'gate', method: 'get', url: `/gate/${FRAUD}` },
    { name: 'versions', method: 'get', url: `/entities/${FRAUD}/versions` },
    {
      name: 'provenance',
      method: 'get',
      url: `/entities/${FRAUD}/provenance`,
    },
    { name: 'rejected artifacts', method: 'get', url: '/rejected-artifacts' },
    {
      name: 'rejected artifacts export',
      method: 'get',
      url: '/rejected-artifacts/export?format=json',
    },
    { name: 'approvals inbox', method: 'get', url: '/approvals/inbox' },
    {
      name: 'model API probes',
      method: 'get',
      url: '/model-apis/probes?entityRef=resource:default/fraud-model',
    },
  ] as const;
}

type Call = ReturnType<typeof everyRoute>[number];
type Calls = readonly Call[];

async function seed(
  harness: TestHarness,
  authorization: (user: string) => string,
) {
  const findings = await request(harness.server)
    .get(`${API}/entities/${FRAUD}/findings?status=open&severity=critical,high`)
    .set('Authorization', authorization(ALICE));
  const fingerprint = findings.body.items[0].fingerprint;
  const expiresAt = new Date(
    harness.clock.now.getTime() + 30 * 86_400_000,
  ).toISOString();
  const requested = await request(harness.server)
    .post(`${API}/acceptances`)
    .set('Authorization', authorization(ALICE))
    .send({
      entityRef: 'resource:default/fraud-model',
      ruleId: findings.body.items[0].ruleId,
      justification: 'Seed request for the scope tests',
      checklist: {
        inActiveUse: true,
        saferAlternativeAvailable: false,
        sourceTrustedAndHashPinned: true,
      },
      expiresAt,
    });
  const report = await request(harness.server)
    .post(`${API}/reports/stale-imports`)
    .set('Authorization', authorization(BOB))
    .send({});
  expect([requested.status, report.status]).toEqual([201, 201]);
  return {
    acceptanceId: requested.body.id as string,
    reportId: report.body.id as string,
    fingerprint,
    expiresAt,
  };
}

function send(harness: TestHarness, call: Call, authorization?: string) {
  let req = request(harness.server)[call.method](API + call.url);
  if (authorization) req = req.set('Authorization', authorization);
  return 'body' in call ? req.send(call.body) : req;
}

describe('a static token confined to ml-governance.gate.read', () => {
  let harness: TestHarness;
  let calls: Calls;

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
                options: { token: GATE_ONLY_TOKEN, subject: 'ci-gate' },
                accessRestrictions: [
                  {
                    plugin: 'ml-governance',
                    permission: 'ml-governance.gate.read',
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
    // Real auth accepts only real tokens (no mock users), so the report is seeded through the wide
    // token and the acceptance id is a well-formed one that does not exist (the gate-only token must
    // be refused before any lookup either way).
    const report = await request(harness.server)
      .post(`${API}/reports/stale-imports`)
      .set('Authorization', `Bearer ${PLUGIN_WIDE_TOKEN}`)
      .send({});
    if (report.status !== 201)
      throw new Error(`seeding failed: ${report.status}`);
    calls = everyRoute({
      acceptanceId: '00000000-0000-4000-8000-000000000000',
      reportId: report.body.id,
      fingerprint: '0'.repeat(32),
      expiresAt: new Date(
        harness.clock.now.getTime() + 86_400_000,
      ).toISOString(),
    });
  });

  afterAll(() => harness.stop());

  it('can call the gate', async () => {
    const res = await send(
      harness,
      calls.find(c => c.name === 'gate')!,
      `Bearer ${GATE_ONLY_TOKEN}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'resource:default/fraud-model',
      decision: 'BLOCK',
    });
  });

  it('is refused on every other route, and writes nothing', async () => {
    const answers: Record<string, number> = {};
    for (const call of calls.filter(c => c.name !== 'gate')) {
      answers[call.name] = (
        await send(harness, call, `Bearer ${GATE_ONLY_TOKEN}`)
      ).status;
    }
    for (const [name, status] of Object.entries(answers)) {
      expect({ name, refused: status === 401 || status === 403 }).toEqual({
        name,
        refused: true,
      });
    }
    const scans = await send(
      harness,
      calls.find(c => c.name === 'scans')!,
      `Bearer ${PLUGIN_WIDE_TOKEN}`,
    );
    expect(scans.body.every((run: any) => run.trigger === 'schedule')).toBe(
      true,
    );
    const reports = await send(
      harness,
      calls.find(c => c.name === 'reports')!,
      `Bearer ${PLUGIN_WIDE_TOKEN}`,
    );
    expect(reports.body).toHaveLength(1);
  });

  it('differs from a token restricted to the plugin only, which may read findings (why the example confines it)', async () => {
    const findings = calls.find(c => c.name === 'findings')!;
    expect(
      (await send(harness, findings, `Bearer ${PLUGIN_WIDE_TOKEN}`)).status,
    ).toBe(200);
    expect(
      (await send(harness, findings, `Bearer ${GATE_ONLY_TOKEN}`)).status,
    ).toBe(403);
  });

  it('refuses missing and unknown tokens on every route', async () => {
    for (const call of calls) {
      expect({
        call: call.name,
        status: (await send(harness, call)).status,
      }).toEqual({ call: call.name, status: 401 });
      const wrong = await send(harness, call, 'Bearer not-the-token-000000');
      expect({ call: call.name, status: wrong.status }).toEqual({
        call: call.name,
        status: 401,
      });
    }
  });
});

describe('user tokens: owner, non-owner, approver', () => {
  let harness: TestHarness;
  let calls: Calls;
  const as = (user: string) => mockCredentials.user.header(user);

  beforeEach(async () => {
    const catalog = createExampleCatalog();
    harness = await startMlGovernanceBackend({
      entities: catalog.entities,
      allowedFileRoots: [catalog.root],
    });
    await harness.runTask('ml-governance-scan-round');
    calls = everyRoute(await seed(harness, as));
  });

  afterEach(() => harness.stop());

  /**
   * What the example policy grants (testPolicy mirrors packages/backend's): owners read and request on
   * their entities; approvers read everything and decide others' requests; everyone may rescan and read
   * team reports. Rows are asked in order (a decision before the revoke it enables).
   */
  const EXPECTED: Record<
    string,
    { owner: number; nonOwner: number; approver: number }
  > = {
    summary: { owner: 200, nonOwner: 403, approver: 200 },
    findings: { owner: 200, nonOwner: 403, approver: 200 },
    scans: { owner: 200, nonOwner: 403, approver: 200 },
    'entity acceptances': { owner: 200, nonOwner: 403, approver: 200 },
    'acceptances (all)': { owner: 200, nonOwner: 200, approver: 200 },
    'acceptances (to decide)': { owner: 200, nonOwner: 200, approver: 200 },
    'acceptances (mine)': { owner: 200, nonOwner: 200, approver: 200 },
    acceptance: { owner: 200, nonOwner: 404, approver: 200 },
    'request acceptance': { owner: 201, nonOwner: 403, approver: 403 },
    decide: { owner: 403, nonOwner: 403, approver: 200 },
    revoke: { owner: 403, nonOwner: 403, approver: 409 },
    teams: { owner: 200, nonOwner: 200, approver: 200 },
    team: { owner: 200, nonOwner: 200, approver: 200 },
    reports: { owner: 200, nonOwner: 200, approver: 200 },
    'generate report': { owner: 201, nonOwner: 201, approver: 201 },
    report: { owner: 200, nonOwner: 200, approver: 200 },
    'report export': { owner: 200, nonOwner: 200, approver: 200 },
    gate: { owner: 200, nonOwner: 403, approver: 200 },
    rescan: { owner: 202, nonOwner: 202, approver: 202 },
    versions: { owner: 200, nonOwner: 403, approver: 200 },
    provenance: { owner: 200, nonOwner: 403, approver: 200 },
    'rejected artifacts': { owner: 200, nonOwner: 200, approver: 200 },
    'rejected artifacts export': { owner: 200, nonOwner: 200, approver: 200 },
    'approvals inbox': { owner: 200, nonOwner: 200, approver: 200 },
    // Readable as the entity is; the model is no model API, so those who may read it learn only that.
    'model API probes': { owner: 404, nonOwner: 403, approver: 404 },
  };

  it('grants each role exactly what the policy says, route by route', async () => {
    const seen: Record<
      string,
      { owner: number; nonOwner: number; approver: number }
    > = {};
    const ordered = [...calls].sort(
      (a, b) =>
        Object.keys(EXPECTED).indexOf(a.name) -
        Object.keys(EXPECTED).indexOf(b.name),
    );
    for (const call of ordered) {
      const owner = (await send(harness, call, as(ALICE))).status;
      const nonOwner = (await send(harness, call, as(MALLORY))).status;
      const approver = (await send(harness, call, as(BOB))).status;
      seen[call.name] = { owner, nonOwner, approver };
    }
    expect(seen).toEqual(EXPECTED);
  });

  it("shows a non-owner none of the entity's acceptances in lists", async () => {
    const all = await send(
      harness,
      calls.find(c => c.name === 'acceptances (all)')!,
      as(MALLORY),
    );
    expect(all.body).toEqual([]);
    const owners = await send(
      harness,
      calls.find(c => c.name === 'acceptances (all)')!,
      as(ALICE),
    );
    expect(owners.body).toHaveLength(1);
    expect(owners.body[0]).not.toHaveProperty('entityOwner');
  });

  it('refuses unauthenticated calls on every route but /health', async () => {
    // The mock auth treats a missing header as a user; this header is an explicit "no one".
    const nobody = mockCredentials.none.header();
    for (const call of calls) {
      expect({
        call: call.name,
        status: (await send(harness, call, nobody)).status,
      }).toEqual({ call: call.name, status: 401 });
    }
    expect(
      (
        await request(harness.server)
          .get(`${API}/health`)
          .set('Authorization', nobody)
      ).status,
    ).toBe(200);
  });
});
