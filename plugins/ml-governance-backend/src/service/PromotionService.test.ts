import {
  TestDatabases,
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import type { ScanTargetResult } from '@ml-governance/plugin-ml-governance-common';
import { DatabaseMlGovernanceStore } from '../database/DatabaseMlGovernanceStore';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import type { ScannedFinding } from '../database/MlGovernanceStore';
import { PolicyRegistry } from '../policy/PolicyRegistry';
import { entityRecord, scannedFinding } from '../__testUtils__/testData';
import { DecisionService } from './DecisionService';
import type { PromotionNotifier } from './PromotionNotifier';
import { PromotionService, type Signer } from './PromotionService';

jest.setTimeout(60_000);

const OWNER = 'group:default/fraud';
const ALICE: Signer = {
  userRef: 'user:default/alice',
  securityApprover: false,
  ownershipRefs: ['user:default/alice', OWNER],
};
const OLIVER: Signer = {
  userRef: 'user:default/oliver',
  securityApprover: false,
  ownershipRefs: ['user:default/oliver', OWNER],
};
const BOB: Signer = {
  userRef: 'user:default/bob',
  securityApprover: true,
  ownershipRefs: ['user:default/bob', 'group:default/ml-security'],
};
const CAROL: Signer = {
  userRef: 'user:default/carol',
  securityApprover: true,
  ownershipRefs: ['user:default/carol', 'group:default/ml-security'],
};
/** Owner and approver at once: may give either sign-off, never both. */
const DAVE: Signer = {
  userRef: 'user:default/dave',
  securityApprover: true,
  ownershipRefs: ['user:default/dave', OWNER, 'group:default/ml-security'],
};
const MALLORY: Signer = {
  userRef: 'user:default/mallory',
  securityApprover: false,
  ownershipRefs: ['user:default/mallory', 'group:default/vision'],
};

const DIGEST = `files:${'a'.repeat(64)}`;

describe('PromotionService', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setUp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const store = await DatabaseMlGovernanceStore.create({ database });
    const promotionStore = await DatabasePromotionStore.create({
      database,
      skipMigrations: true,
    });
    let now = new Date('2026-03-01T10:00:00.000Z');
    const clock = () => {
      now = new Date(now.getTime() + 1000);
      return now;
    };
    const decisions = new DecisionService(store, new PolicyRegistry({}), clock);
    const notifier = {
      promotionRequested: jest.fn(async () => {}),
      signedOff: jest.fn(async () => {}),
      promoted: jest.fn(async () => {}),
      rejected: jest.fn(async () => {}),
    } as unknown as jest.Mocked<PromotionNotifier>;
    const service = new PromotionService({
      store,
      promotions: promotionStore,
      decisions,
      notifier,
      clock,
      logger: mockServices.logger.mock(),
      approvers: ['group:default/ml-security'],
    });

    /** A scan of `name` as ScanService commits it: sighting, findings, claim released, decision, evaluation. */
    async function scan(
      name: string,
      target: string,
      digest: string,
      findings: ScannedFinding[] = [],
    ) {
      const record = entityRecord(name, { owner: OWNER, targets: [target] });
      await store.upsertEntities([record], clock().toISOString());
      await store.requestScan(clock().toISOString(), [record.entityRef]);
      const [claimed] = await store.claimDueEntities({
        worker: 'w',
        now: clock().toISOString(),
        claimExpiresAt: new Date(now.getTime() + 60_000).toISOString(),
        limit: 1,
      });
      const intake = await service.onTargetResolved(claimed, target, digest);
      await store.applyScanFindings({
        entity: record,
        scannedTargets: [target],
        findings: [...findings, ...intake],
        now: clock().toISOString(),
      });
      await store.releaseClaim(record.entityRef, 'w', {
        targetDigests: { [target]: digest },
        lastScanId: claimed.runId,
        lastScannedAt: clock().toISOString(),
        scanError: null,
      });
      await decisions.recompute(record.entityRef);
      const targets: ScanTargetResult[] = [
        {
          target,
          status: 'scanned',
          version: digest,
          filesScanned: 1,
          bytesRead: 1,
        },
      ];
      await service.onScanCommitted(record.entityRef, targets);
      return (await store.getEntity(record.entityRef))!;
    }

    async function requested(name: string, digest = DIGEST) {
      const entity = await scan(name, `file:/${name}`, digest);
      const [version] = await service.listVersions(entity);
      const requestedVersion = await service.requestPromotion(
        entity,
        version.id,
        { revision: version.revision, comment: 'functional tests green' },
        ALICE.userRef,
      );
      return { entity, version: requestedVersion };
    }

    return { knex, store, promotionStore, service, notifier, scan, requested };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('takes a version from quarantine through evaluation and two sign-offs to promoted', async () => {
      const { service, promotionStore, notifier, scan } = await setUp(
        databaseId,
      );
      const record = entityRecord('fraud', { targets: ['file:/fraud'] });
      // A sighting alone: quarantined, nothing evaluated yet.
      await promotionStore.recordSighting({
        entityRef: record.entityRef,
        entityKind: 'resource',
        entityOwner: OWNER,
        target: 'file:/fraud',
        digest: DIGEST,
        source: 'files',
        at: '2026-03-01T09:00:00.000Z',
      });
      const seen = (await promotionStore.findVersion(
        record.entityRef,
        DIGEST,
      ))!;
      expect(seen.stage).toBe('quarantined');

      const entity = await scan('fraud', 'file:/fraud', DIGEST);
      expect(entity.decision).toBe('PASS');
      let [version] = await service.listVersions(entity);
      expect(version).toMatchObject({
        id: seen.id,
        stage: 'evaluated',
        decision: 'PASS',
        current: true,
      });

      version = await service.requestPromotion(
        entity,
        version.id,
        { revision: version.revision },
        ALICE.userRef,
      );
      expect(notifier.promotionRequested).toHaveBeenCalledTimes(1);
      version = await service.signOff(
        entity,
        version.id,
        { kind: 'security', revision: version.revision, comment: 'scan clean' },
        BOB,
      );
      expect(version.stage).toBe('evaluated');
      version = await service.signOff(
        entity,
        version.id,
        { kind: 'owner', revision: version.revision, comment: 'evals pass' },
        OLIVER,
      );
      expect(version.stage).toBe('promoted');
      expect(version.signOffs.map(s => [s.kind, s.actor])).toEqual([
        ['security', BOB.userRef],
        ['owner', OLIVER.userRef],
      ]);
      expect(version.history.map(e => e.action)).toEqual([
        'recorded',
        'evaluated',
        'promotion-requested',
        'signed-off',
        'signed-off',
        'promoted',
      ]);
      expect(notifier.promoted).toHaveBeenCalledTimes(1);

      const gate = await service.gate(entity, DIGEST, {
        entityRef: entity.entityRef,
        decision: 'PASS',
        blocking: [],
      });
      expect(gate.decision).toBe('PASS');
      expect(gate.promotion).toMatchObject({
        stage: 'promoted',
        promoted: true,
      });
      const unknown = await service.gate(entity, 'files:other', {
        entityRef: entity.entityRef,
        decision: 'PASS',
        blocking: [],
      });
      expect(unknown.decision).toBe('BLOCK');
      expect(unknown.promotion?.stage).toBe('unknown');
    });

    it('refuses the requester, one person giving both sign-offs, non-owners and non-approvers', async () => {
      const { service, requested } = await setUp(databaseId);
      const { entity, version } = await requested('fraud');
      const sign = (
        signer: Signer,
        kind: 'security' | 'owner',
        revision: number,
      ) =>
        service.signOff(
          entity,
          version.id,
          { kind, revision, comment: 'looks fine' },
          signer,
        );
      // The requester (an owner) cannot sign their own request.
      await expect(sign(ALICE, 'owner', version.revision)).rejects.toThrow(
        /requested this promotion/,
      );
      await expect(sign(MALLORY, 'owner', version.revision)).rejects.toThrow(
        /needs an owner/,
      );
      await expect(sign(OLIVER, 'security', version.revision)).rejects.toThrow(
        /promotion\.approve/,
      );
      const afterSecurity = await sign(DAVE, 'security', version.revision);
      // Dave owns the entity too, but has already signed: the owner sign-off needs someone else.
      await expect(sign(DAVE, 'owner', afterSecurity.revision)).rejects.toThrow(
        /two different people/,
      );
      await expect(
        sign(CAROL, 'security', afterSecurity.revision),
      ).rejects.toThrow(/already given/);
      // A stale revision is refused.
      await expect(sign(OLIVER, 'owner', version.revision)).rejects.toThrow(
        /changed/,
      );
      const promoted = await sign(OLIVER, 'owner', afterSecurity.revision);
      expect(promoted.stage).toBe('promoted');
    });

    it('promotes nothing that blocks, and withdraws sign-offs when the decision changes', async () => {
      const { service, scan } = await setUp(databaseId);
      const blocked = await scan('bad', 'file:/bad', DIGEST, [
        scannedFinding('evil', { target: 'file:/bad' }),
      ]);
      expect(blocked.decision).toBe('BLOCK');
      const [version] = await service.listVersions(blocked);
      await expect(
        service.requestPromotion(
          blocked,
          version.id,
          { revision: version.revision },
          ALICE.userRef,
        ),
      ).rejects.toThrow(/BLOCK \(PICKLE-EXEC\).*can be promoted/);

      // A PASS version with a security sign-off, then a rescan of the same bytes blocks.
      const fine = await scan('fine', 'file:/fine', 'files:fine');
      let [candidate] = await service.listVersions(fine);
      candidate = await service.requestPromotion(
        fine,
        candidate.id,
        { revision: candidate.revision },
        ALICE.userRef,
      );
      candidate = await service.signOff(
        fine,
        candidate.id,
        { kind: 'security', revision: candidate.revision, comment: 'ok' },
        BOB,
      );
      const rescanned = await scan('fine', 'file:/fine', 'files:fine', [
        scannedFinding('new-evidence', { target: 'file:/fine' }),
      ]);
      const [after] = await service.listVersions(rescanned);
      expect(after.decision).toBe('BLOCK');
      expect(after.signOffs).toEqual([]);
      expect(after.history.at(-1)).toMatchObject({
        action: 're-evaluated',
        comment: expect.stringMatching(/1 sign-off\(s\) withdrawn/),
      });
      await expect(
        service.signOff(
          rescanned,
          after.id,
          { kind: 'owner', revision: after.revision, comment: 'ok' },
          OLIVER,
        ),
      ).resolves.toMatchObject({ stage: 'evaluated' });
    });

    it('rejects for good: the digest is refused under every entity, copies included', async () => {
      const { service, store, scan, requested, notifier } = await setUp(
        databaseId,
      );
      const { entity, version } = await requested('fraud');
      // The same bytes registered under another entity, already evaluated.
      const copy = await scan('copy', 'file:/copy', DIGEST);
      const rejected = await service.reject(
        entity,
        version.id,
        { reason: 'Backdoor found in functional testing' },
        BOB,
      );
      expect(rejected.stage).toBe('rejected');
      expect(notifier.rejected).toHaveBeenCalledWith(
        expect.objectContaining({ id: version.id }),
        'Backdoor found in functional testing',
        [OWNER, OWNER],
      );
      const [copyVersion] = await service.listVersions(copy);
      expect(copyVersion.stage).toBe('rejected');
      expect(copyVersion.history.at(-1)?.comment).toMatch(
        /Same digest rejected under resource:default\/fraud/,
      );
      // The copy gets its critical finding at once, and its decision blocks.
      const copyFindings = await store.listUnresolvedFindings(copy.entityRef);
      expect(copyFindings.map(f => [f.ruleId, f.severity])).toEqual([
        ['INTAKE-REJECTED-ARTIFACT', 'critical'],
      ]);
      expect((await store.getEntity(copy.entityRef))?.decision).toBe('BLOCK');

      // Neither can be signed, requested or rejected again.
      await expect(
        service.signOff(
          entity,
          version.id,
          { kind: 'security', revision: rejected.revision, comment: 'x' },
          CAROL,
        ),
      ).rejects.toThrow(/rejected/);
      await expect(
        service.reject(entity, version.id, { reason: 'again and again' }, BOB),
      ).rejects.toThrow(/already rejected/);

      // A third entity that picks up the digest later starts rejected and gets the finding in its scan.
      const third = await scan('third', 'file:/third', DIGEST);
      const [thirdVersion] = await service.listVersions(third);
      expect(thirdVersion.stage).toBe('rejected');
      expect(third.decision).toBe('BLOCK');
      const finding = (await store.listUnresolvedFindings(third.entityRef))[0];
      expect(finding).toMatchObject({
        ruleId: 'INTAKE-REJECTED-ARTIFACT',
        cwe: ['CWE-1357', 'CWE-494'],
        owaspLlm: ['LLM03:2025', 'LLM04:2025'],
        evidence: expect.objectContaining({
          digest: DIGEST,
          rejectedBy: BOB.userRef,
          reason: 'Backdoor found in functional testing',
        }),
      });
      const gate = await service.gate(third, DIGEST, {
        entityRef: third.entityRef,
        decision: 'BLOCK',
        blocking: [],
      });
      expect(gate.promotion).toMatchObject({
        stage: 'rejected',
        promoted: false,
        rejected: { entityRef: entity.entityRef, rejectedBy: BOB.userRef },
      });

      // A re-exported artifact is a new digest: quarantine, then evaluated, promotable again.
      const fixed = await scan(
        'fraud',
        'file:/fraud',
        `files:${'b'.repeat(64)}`,
      );
      const versions = await service.listVersions(fixed);
      expect(versions.map(v => [v.stage, v.current])).toEqual([
        ['evaluated', true],
        ['rejected', false],
      ]);

      // The log: searchable, with the rules that were open.
      const log = await service.listRejected({ q: 'BACKDOOR' });
      expect(log.totalCount).toBe(1);
      expect(log.items[0]).toMatchObject({
        digest: DIGEST,
        entityRef: entity.entityRef,
        rejectedBy: BOB.userRef,
      });
    });

    it('gives concurrent sign-offs exactly one outcome', async () => {
      const { service, requested } = await setUp(databaseId);
      // Two approvers race for the security sign-off.
      const { entity, version } = await requested('race');
      const results = await Promise.allSettled(
        [BOB, CAROL].map(signer =>
          service.signOff(
            entity,
            version.id,
            { kind: 'security', revision: version.revision, comment: 'mine' },
            signer,
          ),
        ),
      );
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      expect(
        (results.find(r => r.status === 'rejected') as PromiseRejectedResult)
          .reason.name,
      ).toBe('ConflictError');
      const [afterRace] = await service.listVersions(entity);
      expect(afterRace.signOffs).toHaveLength(1);

      // The owner signs while someone rejects: promoted or rejected, never both.
      const outcomes = await Promise.allSettled([
        service.signOff(
          entity,
          version.id,
          { kind: 'owner', revision: afterRace.revision, comment: 'ok' },
          OLIVER,
        ),
        service.reject(
          entity,
          version.id,
          {
            reason: 'Found a problem at the last minute',
            revision: afterRace.revision,
          },
          DAVE,
        ),
      ]);
      expect(outcomes.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const [final] = await service.listVersions(entity);
      expect(['promoted', 'rejected']).toContain(final.stage);
      expect(
        final.history.filter(e => ['promoted', 'rejected'].includes(e.action)),
      ).toHaveLength(1);
      // A refused rejection leaves no log entry behind (its transaction rolled back).
      expect((await service.listRejected({})).totalCount).toBe(
        final.stage === 'rejected' ? 1 : 0,
      );

      // Two reviewers reject another version at once: one rejection, one log entry.
      const other = await requested('race-two', 'files:race-two');
      const rejections = await Promise.allSettled(
        [BOB, CAROL].map(signer =>
          service.reject(
            other.entity,
            other.version.id,
            {
              reason: `Rejected by ${signer.userRef}`,
              revision: other.version.revision,
            },
            signer,
          ),
        ),
      );
      expect(rejections.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const log = await service.listRejected({ q: 'race-two' });
      expect(log.totalCount).toBe(1);
    });

    it('stores hostile comments as visible escapes', async () => {
      const { service, requested } = await setUp(databaseId);
      const { entity, version } = await requested('hostile');
      const hostile = `ok\u0000 ${'\uD800'} ${'x'.repeat(3990)}`;
      const signed = await service.signOff(
        entity,
        version.id,
        { kind: 'security', revision: version.revision, comment: hostile },
        BOB,
      );
      const comment = signed.signOffs[0].comment;
      expect(comment.startsWith('ok\\u0000 \\uD800 ')).toBe(true);
      expect(comment).toHaveLength(hostile.length + 10);
      const rejected = await service.reject(
        entity,
        version.id,
        { reason: `bad\u0000bytes \uDC00 here` },
        BOB,
      );
      expect(rejected.history.at(-1)?.comment).toBe(
        'bad\\u0000bytes \\uDC00 here',
      );
      const log = await service.listRejected({ q: 'bad\u0000bytes' });
      expect(log.items[0].reason).toBe('bad\\u0000bytes \\uDC00 here');
    });
  });
});
