import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import request from 'supertest';
import {
  ALICE,
  BOB,
  DAVE,
  MALLORY,
  createExampleCatalog,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const FRAUD = 'resource:default/fraud-model';

describe('assistant actions', () => {
  let harness: TestHarness;
  let registry: ReturnType<typeof actionsRegistryServiceMock>;
  const invoke = (
    name: string,
    input: object,
    credentials: BackstageCredentials,
  ) =>
    registry.invoke({ id: `test:${name}`, input: input as any, credentials });

  beforeEach(async () => {
    registry = actionsRegistryServiceMock();
    const catalog = createExampleCatalog();
    harness = await startMlGovernanceBackend({
      entities: catalog.entities,
      allowedFileRoots: [catalog.root],
      extraFeatures: [
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => registry,
        }),
      ],
    });
    await harness.runTask('ml-governance-scan-round');
  });

  afterEach(() => harness.stop());

  async function blockers(
    credentials: BackstageCredentials = mockCredentials.user(ALICE),
  ) {
    return (
      await invoke('get-release-blockers', { entityRef: FRAUD }, credentials)
    ).output as any;
  }

  it('registers the actions as read-only', async () => {
    const { actions } = await registry.list();
    expect(actions.map(a => [a.name, a.attributes.readOnly])).toEqual([
      ['get-release-blockers', true],
      ['list-acceptances-to-decide', true],
      ['explain-finding', true],
      ['list-promotions-to-sign', true],
    ]);
  });

  it('answers "what blocks the release of X" for an owner: the decision, reasons and blocking findings', async () => {
    const output = await blockers();
    expect(output).toMatchObject({
      entityRef: FRAUD,
      decision: 'BLOCK',
      reasons: expect.arrayContaining([expect.any(String)]),
    });
    expect(output.blocking.length).toBeGreaterThan(0);
    expect(output.blocking[0]).toMatchObject({
      ruleId: expect.stringMatching(/^PICKLE/),
      severity: expect.stringMatching(/critical|high/),
      fingerprint: expect.any(String),
      location: { path: 'scorer.pkl' },
    });
    // The same answer the gate route gives.
    const gate = await request(harness.server)
      .get('/api/ml-governance/gate/resource/default/fraud-model')
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(output.blocking.map((b: any) => b.fingerprint)).toEqual(
      gate.body.blocking.map((b: any) => b.fingerprint),
    );
  });

  it('refuses callers the routes refuse: a non-owner, and a token confined to the gate', async () => {
    await expect(blockers(mockCredentials.user(MALLORY))).rejects.toMatchObject(
      { name: 'NotAllowedError' },
    );
    const gateOnly = mockCredentials.service('external:ci-gate', {
      permissionNames: ['ml-governance.gate.read'],
    });
    // The gate alone is not enough: the answer carries findings (messages, locations, fixes).
    await expect(blockers(gateOnly)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    const pipeline = await invoke(
      'explain-finding',
      { entityRef: FRAUD, fingerprint: 'a'.repeat(32) },
      gateOnly,
    ).catch(e => e);
    expect(pipeline).toMatchObject({ name: 'NotAllowedError' });
  });

  it('rejects malformed and unknown entity refs without a stack trace', async () => {
    await expect(
      invoke(
        'get-release-blockers',
        { entityRef: '::://' },
        mockCredentials.user(ALICE),
      ),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      invoke(
        'get-release-blockers',
        { entityRef: 'resource:default/nope' },
        mockCredentials.user(ALICE),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('lists open requests an approver can decide — never their own, nothing for non-approvers', async () => {
    const [first] = (await blockers()).blocking;
    const body = {
      entityRef: FRAUD,
      fingerprint: first.fingerprint,
      justification: 'Legacy scorer until the safetensors export ships',
      checklist: {
        inActiveUse: true,
        saferAlternativeAvailable: false,
        sourceTrustedAndHashPinned: true,
      },
      expiresAt: new Date(
        harness.clock.now.getTime() + 30 * 86_400_000,
      ).toISOString(),
    };
    const created = await request(harness.server)
      .post('/api/ml-governance/acceptances')
      .set('Authorization', mockCredentials.user.header(DAVE))
      .send(body);
    expect(created.status).toBe(201);

    const list = async (user: string) =>
      (
        (
          await invoke(
            'list-acceptances-to-decide',
            {},
            mockCredentials.user(user),
          )
        ).output as any
      ).acceptances;
    expect((await list(BOB)).map((a: any) => a.id)).toEqual([created.body.id]);
    expect((await list(BOB))[0]).not.toHaveProperty('entityOwner');
    expect(await list(DAVE)).toEqual([]); // an approver, but it is his own request
    expect(await list(ALICE)).toEqual([]); // an owner, not an approver
    expect(await list(MALLORY)).toEqual([]);
    await expect(
      invoke('list-acceptances-to-decide', {}, mockCredentials.service()),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('explains why a finding is high: finding, rule and how the policy weighed it', async () => {
    const [first] = (await blockers()).blocking;
    const { output } = (await invoke(
      'explain-finding',
      { entityRef: FRAUD, fingerprint: first.fingerprint },
      mockCredentials.user(ALICE),
    )) as any;
    expect(output.finding).toMatchObject({
      fingerprint: first.fingerprint,
      ruleId: first.ruleId,
      evidence: expect.any(Object),
    });
    expect(output.finding).not.toHaveProperty('entityOwner');
    expect(output.rule).toMatchObject({
      id: first.ruleId,
      cwe: expect.arrayContaining([expect.stringMatching(/^CWE-/)]),
      description: expect.any(String),
    });
    expect(output.policy).toMatchObject({
      effectiveSeverity: first.severity,
      outcome: 'BLOCK',
      failOn: expect.any(String),
    });
    await expect(
      invoke(
        'explain-finding',
        { entityRef: FRAUD, fingerprint: first.fingerprint },
        mockCredentials.user(MALLORY),
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      invoke(
        'explain-finding',
        { entityRef: FRAUD, fingerprint: 'f'.repeat(32) },
        mockCredentials.user(ALICE),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
