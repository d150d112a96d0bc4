import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ALICE,
  BOB,
  CAROL,
  DAVE,
  MALLORY,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';
import { modelEntity } from '../__testUtils__/testData';

jest.setTimeout(120_000);

const as = (user: string) => mockCredentials.user.header(user);
const MLGOV = join(
  dirname(require.resolve('@ml-governance/scanner/package.json')),
  'bin',
  'mlgov',
);

/** The real CLI in a child process against the running backend (the process CI would run). */
function mlgovGate(
  baseUrl: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [MLGOV, 'gate', ...args, '--url', baseUrl],
      {
        env: { ...process.env, MLGOV_TOKEN: mockCredentials.service.token() },
        timeout: 90_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

/** The CLI polling with --wait: resolves `waiting` once it has reported its first wait, `done` at exit. */
function mlgovGateWaiting(baseUrl: string, args: string[]) {
  const child = spawn(
    process.execPath,
    [MLGOV, 'gate', ...args, '--url', baseUrl],
    { env: { ...process.env, MLGOV_TOKEN: mockCredentials.service.token() } },
  );
  let stdout = '';
  let stderr = '';
  let reportWait: () => void = () => {};
  const waiting = new Promise<void>(resolve => {
    reportWait = resolve;
  });
  child.stdout.on('data', chunk => {
    stdout += chunk;
  });
  child.stderr.on('data', chunk => {
    stderr += chunk;
    if (stderr.includes('next check in')) reportWait();
  });
  const done = new Promise<{ code: number; stdout: string; stderr: string }>(
    resolve =>
      child.on('close', code => resolve({ code: code ?? 1, stdout, stderr })),
  );
  return { waiting, done };
}

/**
 * The lifecycle through the real routes, scans and CLI: an owner requests, an approver and another
 * owner sign, `mlgov gate --digest --wait` flips from not promoted to PASS; a rejection reaches a
 * copy of the same bytes under another entity, where the gate exits 21.
 */
describe('artifact promotion through the API and mlgov gate --digest', () => {
  let harness: TestHarness;
  let baseUrl: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlgov-promotion-'));
    for (const dir of ['release', 'doomed']) {
      mkdirSync(join(root, dir));
      writeFileSync(join(root, dir, 'README.md'), `# ${dir} model card\n`);
    }
    const catalogFile = join(root, 'catalog-info.yaml');
    const entity = (name: string, owner: string, artifacts: string) =>
      modelEntity({ name, owner, catalogFile, artifacts });
    harness = await startMlGovernanceBackend({
      allowedFileRoots: [root],
      entities: [
        entity('promo-model', 'group:default/fraud', 'file:./release'),
        entity('doomed-model', 'group:default/fraud', 'file:./doomed'),
        // The same folder (same bytes, same digest) registered by another team.
        entity('doomed-copy', 'group:default/vision', 'file:./doomed'),
      ],
    });
    await harness.runTask('ml-governance-scan-round');
    const { port } = harness.server.address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(() => harness.stop());

  async function onlyVersion(name: string, user = ALICE) {
    const res = await request(harness.server)
      .get(`/api/ml-governance/entities/resource/default/${name}/versions`)
      .set('Authorization', as(user));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    return res.body[0];
  }

  it('promotes with two sign-offs while the CI gate waits, then answers PASS', async () => {
    const version = await onlyVersion('promo-model');
    expect(version).toMatchObject({
      stage: 'evaluated',
      decision: 'PASS',
      source: 'files',
      digest: expect.stringMatching(/^files:[0-9a-f]{64}$/),
    });
    const ref = 'resource:default/promo-model';

    const before = await mlgovGate(baseUrl, [ref, '--digest', version.digest]);
    expect(before.code).toBe(20);
    expect(before.stdout).toContain('BLOCK (evaluated)');
    expect(before.stdout).toContain('Promotion not requested yet');

    const waiting = mlgovGateWaiting(baseUrl, [
      ref,
      '--digest',
      version.digest,
      '--wait',
      '--interval',
      '300ms',
      '--timeout',
      '80s',
    ]);
    // The pipeline is paused on the gate before anyone signs.
    await waiting.waiting;

    const post = (path: string, user: string, body: object) =>
      request(harness.server)
        .post(`/api/ml-governance/versions/${version.id}/${path}`)
        .set('Authorization', as(user))
        .send(body);

    // Mallory owns nothing here: no request.
    expect(
      (await post('promotion-request', MALLORY, { revision: version.revision }))
        .status,
    ).toBe(403);
    const requested = await post('promotion-request', ALICE, {
      revision: version.revision,
      comment: 'Functional tests green',
    });
    expect(requested.status).toBe(200);

    // The inbox shows the approver what they may sign; the requester sees nothing to sign.
    const bobInbox = await request(harness.server)
      .get('/api/ml-governance/approvals/inbox')
      .set('Authorization', as(BOB));
    expect(bobInbox.status).toBe(200);
    expect(bobInbox.body.promotions).toEqual([
      expect.objectContaining({ id: version.id, canSignOff: ['security'] }),
    ]);
    const aliceInbox = await request(harness.server)
      .get('/api/ml-governance/approvals/inbox')
      .set('Authorization', as(ALICE));
    expect(aliceInbox.body).toEqual({ promotions: [], acceptances: [] });

    const security = await post('sign-offs', BOB, {
      kind: 'security',
      revision: requested.body.revision,
      comment: 'Scan results reviewed',
    });
    expect(security.status).toBe(200);
    // The requester cannot give the owner sign-off; a stale revision is a conflict.
    expect(
      (
        await post('sign-offs', ALICE, {
          kind: 'owner',
          revision: security.body.revision,
          comment: 'mine',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await post('sign-offs', DAVE, {
          kind: 'owner',
          revision: requested.body.revision,
          comment: 'stale',
        })
      ).status,
    ).toBe(409);
    const owner = await post('sign-offs', DAVE, {
      kind: 'owner',
      revision: security.body.revision,
      comment: 'Evaluations pass',
    });
    expect(owner.status).toBe(200);
    expect(owner.body.stage).toBe('promoted');

    const after = await waiting.done;
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('PASS (promoted)');
    expect(after.stderr).toContain('next check in');

    const titles = harness.notifications.send.mock.calls.map(
      ([n]) => n.payload.title,
    );
    expect(titles).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Promotion requested: resource:default\/promo-model/,
        ),
        expect.stringMatching(/^security sign-off for/),
        expect.stringMatching(/^Promoted: resource:default\/promo-model/),
      ]),
    );
  });

  it('rejects for good: the copy under another entity is refused and gets a critical finding', async () => {
    const version = await onlyVersion('doomed-model');
    const copy = await onlyVersion('doomed-copy', CAROL);
    expect(copy.digest).toBe(version.digest);

    const rejected = await request(harness.server)
      .post(`/api/ml-governance/versions/${version.id}/reject`)
      .set('Authorization', as(BOB))
      .send({ reason: 'Backdoor found in functional testing' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.stage).toBe('rejected');
    expect((await onlyVersion('doomed-copy', CAROL)).stage).toBe('rejected');

    const gate = await mlgovGate(baseUrl, [
      'resource:default/doomed-copy',
      '--digest',
      copy.digest,
      '--wait',
    ]);
    expect(gate.code).toBe(21);
    expect(gate.stdout).toContain(
      'Rejected under resource:default/doomed-model by user:default/bob',
    );

    // Every later scan consults the log: the copy keeps its critical finding.
    await request(harness.server)
      .post('/api/ml-governance/entities/resource/default/doomed-copy/scans')
      .set('Authorization', as(CAROL))
      .send({});
    await harness.runTask('ml-governance-scan-round');
    const findings = await request(harness.server)
      .get('/api/ml-governance/entities/resource/default/doomed-copy/findings')
      .set('Authorization', as(CAROL));
    expect(findings.body.items).toEqual([
      expect.objectContaining({
        ruleId: 'INTAKE-REJECTED-ARTIFACT',
        severity: 'critical',
        status: 'open',
      }),
    ]);

    // A CI upload knows no digests: it cannot clear the finding either.
    const upload = await request(harness.server)
      .post('/api/ml-governance/entities/resource/default/doomed-copy/ci-scans')
      .set('Authorization', as(CAROL))
      .send({ findings: [] });
    expect(upload.status).toBe(201);
    expect(upload.body.decision).toBe('BLOCK');
    const afterUpload = await request(harness.server)
      .get('/api/ml-governance/entities/resource/default/doomed-copy/findings')
      .set('Authorization', as(CAROL));
    expect(afterUpload.body.items.map((f: any) => f.ruleId)).toEqual([
      'INTAKE-REJECTED-ARTIFACT',
    ]);

    const csv = await request(harness.server)
      .get('/api/ml-governance/rejected-artifacts/export?format=csv&q=backdoor')
      .set('Authorization', as(BOB));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'digest,source,entityRef,target,ruleIds,rejectedBy,rejectedAt,reason',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(version.digest);
    expect(lines[1]).toContain('Backdoor found in functional testing');

    // The log names the entity it was rejected under; JSON export has the same rows.
    const under = (entityRef: string) =>
      request(harness.server)
        .get('/api/ml-governance/rejected-artifacts')
        .query({ entityRef })
        .set('Authorization', as(BOB));
    expect((await under('resource:default/doomed-model')).body).toMatchObject({
      totalCount: 1,
      items: [{ digest: version.digest, rejectedBy: BOB, ruleIds: [] }],
    });
    expect((await under('resource:default/doomed-copy')).body.totalCount).toBe(
      0,
    );
    const json = await request(harness.server)
      .get('/api/ml-governance/rejected-artifacts/export?format=json')
      .set('Authorization', as(BOB));
    expect(JSON.parse(json.text)).toEqual([
      expect.objectContaining({
        digest: version.digest,
        entityRef: 'resource:default/doomed-model',
        source: 'files',
      }),
    ]);
  });
});
