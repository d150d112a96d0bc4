import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ALICE,
  BOB,
  CAROL,
  DAVE,
  MALLORY,
  createExampleCatalog,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const FRAUD = '/api/ml-governance/entities/resource/default/fraud-model';
const as = (user: string) => mockCredentials.user.header(user);

describe('ML Governance API', () => {
  let harness: TestHarness;
  let catalogRoot: string;

  beforeEach(async () => {
    const catalog = createExampleCatalog();
    catalogRoot = catalog.root;
    harness = await startMlGovernanceBackend({
      entities: catalog.entities,
      allowedFileRoots: [catalog.root],
    });
    await harness.runTask('ml-governance-scan-round');
  });

  afterEach(() => harness.stop());

  const get = (path: string, user = ALICE) =>
    request(harness.server).get(path).set('Authorization', as(user));
  const post = (path: string, body: object, user = ALICE) =>
    request(harness.server)
      .post(path)
      .set('Authorization', as(user))
      .send(body);

  async function pickleFinding() {
    const res = await get(
      `${FRAUD}/findings?status=open&severity=critical,high`,
    );
    expect(res.status).toBe(200);
    const finding = res.body.items.find((f: any) =>
      f.ruleId.startsWith('PICKLE'),
    );
    expect(finding).toBeDefined();
    return finding;
  }

  function acceptanceBody(fingerprint: string, days = 30) {
    return {
      entityRef: 'resource:default/fraud-model',
      fingerprint,
      justification:
        'Legacy scorer; replaced by safetensors export next sprint',
      checklist: {
        inActiveUse: true,
        saferAlternativeAvailable: false,
        sourceTrustedAndHashPinned: true,
      },
      expiresAt: new Date(
        harness.clock.now.getTime() + days * 86_400_000,
      ).toISOString(),
    };
  }

  it('scans the catalog: a malicious pickle blocks, a clean target passes, unreadable targets never pass', async () => {
    const summary = await get(`${FRAUD}/summary`);
    expect(summary.body).toMatchObject({
      entityRef: 'resource:default/fraud-model',
      owner: 'group:default/fraud',
      decision: 'BLOCK',
    });
    expect(summary.body.lastScan).toMatchObject({
      status: 'succeeded',
      trigger: 'schedule',
    });
    const finding = await pickleFinding();
    expect(finding.location.path).toBe('scorer.pkl');
    expect(finding.target).toMatch(/^file:.*models$/);

    const clean = await get(
      '/api/ml-governance/entities/resource/default/clean-model/summary',
      MALLORY,
    );
    expect(clean.body.decision).toBe('PASS');

    for (const name of ['broken-model', 'outside-model']) {
      const broken = await get(
        `/api/ml-governance/entities/resource/default/${name}/summary`,
      );
      expect(broken.body.decision).toBe('BLOCK');
      expect(broken.body.lastScan.status).toBe('failed');
      expect(broken.body.lastScan.targets[0]).toMatchObject({
        status: 'failed',
      });
      const findings = await get(
        `/api/ml-governance/entities/resource/default/${name}/findings`,
      );
      expect(findings.body.items[0]).toMatchObject({
        ruleId: 'SCAN-ERROR',
        status: 'open',
      });
    }
    // A digest pinned by the ml-governance.io/sha256 annotation that the file does not match is critical.
    const pinned = await get(
      '/api/ml-governance/entities/resource/default/pinned-model/findings',
      MALLORY,
    );
    expect(pinned.body.items).toEqual([
      expect.objectContaining({
        ruleId: 'MODEL-HASH-MISMATCH',
        severity: 'critical',
        location: { path: 'README.md' },
      }),
    ]);

    const outside = await get(
      '/api/ml-governance/entities/resource/default/outside-model/scans',
    );
    expect(outside.body[0].error).toMatch(/outside the allowed roots/);
    // Readers learn why a target failed, not where the portal keeps its files.
    const broken = await get(
      '/api/ml-governance/entities/resource/default/broken-model/scans',
    );
    const brokenFindings = await get(
      '/api/ml-governance/entities/resource/default/broken-model/findings',
    );
    expect(broken.body[0].error).toMatch(/does-not-exist/);
    const shown = JSON.stringify([
      broken.body[0].error,
      broken.body[0].targets,
      brokenFindings.body.items[0].message,
    ]);
    expect(shown).not.toContain(catalogRoot);
    expect(brokenFindings.body.items[0]).not.toHaveProperty('entityOwner');
    // Owners hear about new blocking findings.
    expect(harness.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: ['group:default/fraud'] },
      }),
    );
  });

  const later = (minutes: number) => {
    harness.clock.now = new Date(
      harness.clock.now.getTime() + minutes * 60_000,
    );
  };

  it('does not rescan unchanged targets, and keeps scan history', async () => {
    later(30);
    await harness.runTask('ml-governance-scan-round');
    const scans = await get(`${FRAUD}/scans`);
    expect(scans.body).toHaveLength(2);
    expect(scans.body[0].targets[0].status).toBe('unchanged');
    expect(scans.body[1].targets[0]).toMatchObject({
      status: 'scanned',
      filesScanned: 1,
    });
    expect((await get(`${FRAUD}/summary`)).body.decision).toBe('BLOCK');
  });

  it('queues a manual rescan for holders of the scan permission', async () => {
    later(1);
    const res = await post(`${FRAUD}/scans`, {});
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      trigger: 'manual',
      status: 'queued',
      requestedBy: ALICE,
    });
    for (let i = 0; i < 50; i++) {
      const [latest] = (await get(`${FRAUD}/scans`)).body;
      if (
        latest.id === res.body.id &&
        latest.status !== 'queued' &&
        latest.status !== 'running'
      )
        break;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    const [latest] = (await get(`${FRAUD}/scans`)).body;
    expect(latest).toMatchObject({
      id: res.body.id,
      status: 'succeeded',
      trigger: 'manual',
    });
  });

  it('validates queries and bodies', async () => {
    expect((await get(`${FRAUD}/findings?severity=catastrophic`)).status).toBe(
      400,
    );
    expect((await get(`${FRAUD}/findings?limit=100000`)).status).toBe(400);
    const finding = await pickleFinding();
    const noChecklist = {
      ...acceptanceBody(finding.fingerprint),
      checklist: undefined,
    };
    expect(
      (await post('/api/ml-governance/acceptances', noChecklist)).status,
    ).toBe(400);
    const tooLong = acceptanceBody(finding.fingerprint, 400);
    const res = await post('/api/ml-governance/acceptances', tooLong);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/at most 180 days/);
    expect(
      (
        await get(
          '/api/ml-governance/entities/resource/default/unknown/summary',
        )
      ).status,
    ).toBe(404);
  });

  it('runs the acceptance lifecycle: request, no self-approval, approval flips the decision, expiry re-blocks', async () => {
    const finding = await pickleFinding();
    const requested = await post(
      '/api/ml-governance/acceptances',
      acceptanceBody(finding.fingerprint, 30),
      DAVE,
    );
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({
      status: 'requested',
      requestedBy: DAVE,
      revision: 1,
    });
    const id = requested.body.id;
    expect(harness.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: ['group:default/ml-security'],
        },
      }),
    );

    // The gate shows what it waits for.
    const waiting = await get(
      '/api/ml-governance/gate/resource/default/fraud-model',
    );
    expect(waiting.body.decision).toBe('BLOCK');
    expect(waiting.body.blocking).toContainEqual(
      expect.objectContaining({
        fingerprint: finding.fingerprint,
        pendingAcceptance: { id, status: 'requested' },
      }),
    );

    // Alice cannot decide at all; Dave is an approver but requested it himself…
    expect(
      (
        await post(`/api/ml-governance/acceptances/${id}/decision`, {
          decision: 'approve',
          comment: 'ok',
          revision: 1,
        })
      ).status,
    ).toBe(403);
    const self = await post(
      `/api/ml-governance/acceptances/${id}/decision`,
      { decision: 'approve', comment: 'ok', revision: 1 },
      DAVE,
    );
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/your own/);
    // …and a decision on a stale revision is a conflict.
    expect(
      (
        await post(
          `/api/ml-governance/acceptances/${id}/decision`,
          { decision: 'approve', comment: 'ok', revision: 7 },
          BOB,
        )
      ).status,
    ).toBe(409);
    expect(
      (
        await post(
          `/api/ml-governance/acceptances/${id}/decision`,
          { decision: 'approve', comment: '', revision: 1 },
          BOB,
        )
      ).status,
    ).toBe(400);

    const approved = await post(
      `/api/ml-governance/acceptances/${id}/decision`,
      {
        decision: 'approve',
        comment: 'Until the safetensors export ships',
        revision: 1,
      },
      BOB,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'active',
      decidedBy: BOB,
      revision: 2,
    });

    const afterApproval = await get(`${FRAUD}/summary`);
    expect(afterApproval.body).toMatchObject({
      decision: 'PASS',
      acceptedCount: 1,
    });
    expect(
      (await get('/api/ml-governance/gate/resource/default/fraud-model')).body,
    ).toMatchObject({ decision: 'PASS', blocking: [] });
    const accepted = await get(`${FRAUD}/findings?status=accepted`);
    expect(accepted.body.items[0]).toMatchObject({
      fingerprint: finding.fingerprint,
      acceptanceId: id,
    });

    // Ten days before expiry the sweep reminds the requester and owners, once.
    later(20 * 24 * 60);
    await harness.runTask('ml-governance-scan-round');
    await harness.runTask('ml-governance-scan-round');
    const reminded = await get(`/api/ml-governance/acceptances/${id}`, BOB);
    expect(reminded.body.history.map((e: any) => e.action)).toEqual([
      'requested',
      'approved',
      'expiry-reminder',
    ]);
    expect((await get(`${FRAUD}/summary`)).body.decision).toBe('PASS');

    // Time passes beyond the expiry: the gate blocks at once, the sweep records it and notifies.
    later(11 * 24 * 60);
    expect(
      (await get('/api/ml-governance/gate/resource/default/fraud-model')).body
        .decision,
    ).toBe('BLOCK');
    await harness.runTask('ml-governance-scan-round');
    const expired = await get(`/api/ml-governance/acceptances/${id}`, BOB);
    expect(expired.body.status).toBe('expired');
    expect(expired.body.history.map((e: any) => e.action)).toEqual([
      'requested',
      'approved',
      'expiry-reminder',
      'expired',
    ]);
    expect((await get(`${FRAUD}/summary`)).body).toMatchObject({
      decision: 'BLOCK',
      acceptedCount: 0,
    });
    expect(harness.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        payload: expect.objectContaining({
          title: expect.stringMatching(/expired/),
        }),
      }),
    );
  });

  it('lets exactly one of two concurrent decisions win', async () => {
    const finding = await pickleFinding();
    const { body } = await post(
      '/api/ml-governance/acceptances',
      acceptanceBody(finding.fingerprint),
    );
    const decide = (user: string, decision: string) =>
      post(
        `/api/ml-governance/acceptances/${body.id}/decision`,
        { decision, comment: `${decision} by ${user}`, revision: 1 },
        user,
      );
    const results = await Promise.all([
      decide(BOB, 'approve'),
      decide(CAROL, 'reject'),
    ]);
    expect(results.map(r => r.status).sort()).toEqual([200, 409]);
    const stored = await get(`/api/ml-governance/acceptances/${body.id}`, BOB);
    const winner = results.find(r => r.status === 200)!.body;
    expect(stored.body).toMatchObject({ status: winner.status, revision: 2 });
    expect(stored.body.history).toHaveLength(2);
  });

  it('hides entities from non-owners and refuses their requests', async () => {
    const finding = await pickleFinding();
    expect((await get(`${FRAUD}/summary`, MALLORY)).status).toBe(403);
    expect((await get(`${FRAUD}/findings`, MALLORY)).status).toBe(403);
    expect(
      (
        await get(
          '/api/ml-governance/gate/resource/default/fraud-model',
          MALLORY,
        )
      ).status,
    ).toBe(403);
    const refused = await post(
      '/api/ml-governance/acceptances',
      acceptanceBody(finding.fingerprint),
      MALLORY,
    );
    expect(refused.status).toBe(403);

    const { body } = await post(
      '/api/ml-governance/acceptances',
      acceptanceBody(finding.fingerprint),
    );
    expect(
      (await get(`/api/ml-governance/acceptances/${body.id}`, MALLORY)).status,
    ).toBe(404);
    expect(
      (await get('/api/ml-governance/acceptances?view=all', MALLORY)).body,
    ).toEqual([]);
    expect(
      (await get('/api/ml-governance/acceptances?view=to-decide', MALLORY))
        .body,
    ).toEqual([]);
    expect(
      (await get('/api/ml-governance/acceptances?view=mine')).body.map(
        (a: any) => a.id,
      ),
    ).toEqual([body.id]);
    expect(
      (
        await get('/api/ml-governance/acceptances?view=to-decide', BOB)
      ).body.map((a: any) => a.id),
    ).toEqual([body.id]);
  });

  it('aggregates teams and produces the stale-import report with CSV export', async () => {
    const teams = await get('/api/ml-governance/teams');
    expect(
      teams.body.find((t: any) => t.owner === 'group:default/fraud'),
    ).toMatchObject({
      entityCount: 3,
      decisions: { BLOCK: 3, TICKET: 0, PASS: 0, UNKNOWN: 0 },
    });
    const team = await get(
      '/api/ml-governance/teams/default/fraud?trendDays=30',
    );
    expect(team.body.entities).toHaveLength(3);
    expect(team.body.trend).toEqual([
      expect.objectContaining({ date: '2026-03-01', blockedEntities: 3 }),
    ]);
    expect(team.body.topRules[0]).toMatchObject({
      ruleId: expect.any(String),
      count: expect.any(Number),
    });
    expect(team.body.oldestOpen.length).toBeGreaterThan(0);

    // A quarter later, the findings have been open for too long.
    harness.clock.now = new Date('2026-07-01T06:00:00.000Z');
    const generated = await post(
      '/api/ml-governance/reports/stale-imports',
      {},
      BOB,
    );
    expect(generated.status).toBe(201);
    expect(generated.body).toMatchObject({
      period: '2026-Q3',
      trigger: 'manual',
    });
    const latest = await get(
      '/api/ml-governance/reports/stale-imports/latest?owner=group:default/fraud',
    );
    expect(latest.body.teams).toHaveLength(1);
    expect(latest.body.teams[0].longOpenFindings.length).toBeGreaterThan(0);

    const csv = await get(
      `/api/ml-governance/reports/stale-imports/${generated.body.id}/export?format=csv`,
    );
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const [header, ...rows] = csv.text.trim().split('\r\n');
    expect(header.split(',')).toContain('section');
    expect(rows.some(row => row.includes('long-open-finding'))).toBe(true);
    expect(
      (await get('/api/ml-governance/reports/stale-imports')).body,
    ).toHaveLength(1);
  });

  it('answers health checks without credentials', async () => {
    const res = await request(harness.server).get('/api/ml-governance/health');
    expect(res.status).toBe(200);
  });
});
