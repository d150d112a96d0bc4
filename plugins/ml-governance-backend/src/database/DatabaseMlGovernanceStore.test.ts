import {
  TestDatabases,
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import { DatabaseMlGovernanceStore } from './DatabaseMlGovernanceStore';
import { entityRecord, scannedFinding } from '../__testUtils__/testData';

jest.setTimeout(60_000);

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';
const T2 = '2026-01-03T00:00:00.000Z';

describe('DatabaseMlGovernanceStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseMlGovernanceStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return { knex, store };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('claims each due entity for exactly one worker, and re-claims after a new request', async () => {
      const { store } = await createStore(databaseId);
      await store.upsertEntities(
        [entityRecord('a'), entityRecord('b'), entityRecord('c')],
        T0,
      );
      await store.requestScan(T0);

      const claim = (worker: string) =>
        store.claimDueEntities({
          worker,
          now: T1,
          claimExpiresAt: T2,
          limit: 10,
        });
      const [first, second] = await Promise.all([claim('w1'), claim('w2')]);
      const refs = [...first, ...second].map(e => e.entityRef).sort();
      expect(refs).toEqual([
        'resource:default/a',
        'resource:default/b',
        'resource:default/c',
      ]);

      const holderOfA = first.some(e => e.entityRef === 'resource:default/a')
        ? 'w1'
        : 'w2';
      await store.releaseClaim('resource:default/a', holderOfA, {
        targetDigests: { 'file:/models': 'd1' },
        lastScannedAt: T1,
      });
      // Scanned and not requested again: not due.
      expect(await claim('w3')).toEqual([]);
      await store.requestScan('2026-01-02T00:00:01.000Z', [
        'resource:default/a',
      ]);
      const again = await claim('w3');
      expect(again.map(e => e.entityRef)).toEqual(['resource:default/a']);
      expect(again[0].targetDigests).toEqual({ 'file:/models': 'd1' });
    });

    it('takes over a claim once it has expired', async () => {
      const { store } = await createStore(databaseId);
      await store.upsertEntities([entityRecord('a')], T0);
      await store.requestScan(T0);
      expect(
        await store.claimDueEntities({
          worker: 'w1',
          now: T0,
          claimExpiresAt: T1,
          limit: 1,
        }),
      ).toHaveLength(1);
      await store.requestScan('2026-01-01T00:00:00.500Z');
      expect(
        await store.claimDueEntities({
          worker: 'w2',
          now: '2026-01-01T12:00:00.000Z',
          claimExpiresAt: T2,
          limit: 1,
        }),
      ).toHaveLength(0);
      expect(
        await store.claimDueEntities({
          worker: 'w2',
          now: T2,
          claimExpiresAt: '2026-01-04T00:00:00.000Z',
          limit: 1,
        }),
      ).toHaveLength(1);
    });

    it('a manual rescan of an entity held by a dead replica runs once its lease is out, and the dead run is marked abandoned', async () => {
      const { store } = await createStore(databaseId);
      const ref = 'resource:default/a';
      await store.upsertEntities([entityRecord('a')], T0);
      await store.requestScan(T0);
      const [dead] = await store.claimDueEntities({
        worker: 'dead',
        now: T0,
        claimExpiresAt: '2026-01-01T00:00:30.000Z',
        limit: 5,
      });
      expect(dead.trigger).toBe('schedule');
      // A user asks for a rescan while the dead replica still holds the lease: queued, not lost.
      await store.insertScanRun({
        id: 'manual-1',
        entityRef: ref,
        trigger: 'manual',
        status: 'queued',
        requestedBy: 'user:default/alice',
        targets: [],
      });
      await store.requestScan('2026-01-01T00:00:10.000Z', [ref]);
      expect(
        await store.claimDueEntities({
          worker: 'w2',
          now: '2026-01-01T00:00:20.000Z',
          claimExpiresAt: T1,
          limit: 5,
        }),
      ).toEqual([]);
      expect(await store.markAbandonedRuns('2026-01-01T00:00:20.000Z')).toBe(0);

      // The lease ran out: the next claim takes the entity over and answers the queued request.
      const later = '2026-01-01T00:00:31.000Z';
      expect(await store.markAbandonedRuns(later)).toBe(1);
      expect(await store.getScanRun(dead.runId)).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/^abandoned/),
      });
      const [taken] = await store.claimDueEntities({
        worker: 'w2',
        now: later,
        claimExpiresAt: T1,
        limit: 5,
      });
      expect(taken).toMatchObject({
        entityRef: ref,
        runId: 'manual-1',
        trigger: 'manual',
      });
      expect((await store.getScanRun('manual-1'))?.status).toBe('running');
      // The dead replica, were it to come back, can neither renew nor commit.
      expect(await store.renewClaims('dead', [ref], T2)).toBe(0);
      expect(
        await store.releaseClaim(ref, 'dead', { lastScannedAt: later }),
      ).toBe(false);
      expect(await store.markAbandonedRuns(later)).toBe(0);
      expect(
        await store.releaseClaim(ref, 'w2', {
          lastScanId: 'manual-1',
          lastScannedAt: later,
        }),
      ).toBe(true);
    });

    it('tracks first seen, last seen and resolution per target', async () => {
      const { store } = await createStore(databaseId);
      const entity = entityRecord('m', {
        targets: ['file:/models', 'file:/src'],
      });
      await store.upsertEntities([entity], T0);

      const first = await store.applyScanFindings({
        entity,
        scannedTargets: ['file:/models', 'file:/src'],
        findings: [
          scannedFinding('f1'),
          scannedFinding('f2'),
          scannedFinding('s1', { target: 'file:/src', severity: 'medium' }),
        ],
        now: T0,
      });
      expect(first.opened.map(f => f.fingerprint).sort()).toEqual([
        'f1',
        'f2',
        's1',
      ]);

      // Second scan: f2 fixed; only the models target was rescanned, so s1 is untouched.
      const second = await store.applyScanFindings({
        entity,
        scannedTargets: ['file:/models'],
        findings: [scannedFinding('f1')],
        now: T1,
      });
      expect(second).toMatchObject({ opened: [], resolved: 1 });
      const f1 = await store.getFinding(entity.entityRef, 'f1');
      expect(f1).toMatchObject({
        status: 'open',
        firstSeenAt: T0,
        lastSeenAt: T1,
      });
      expect(await store.getFinding(entity.entityRef, 'f2')).toMatchObject({
        status: 'resolved',
        resolvedAt: T1,
      });
      expect(await store.getFinding(entity.entityRef, 's1')).toMatchObject({
        status: 'open',
      });

      // f2 comes back: re-opened, first seen kept.
      const third = await store.applyScanFindings({
        entity,
        scannedTargets: ['file:/models'],
        findings: [scannedFinding('f1'), scannedFinding('f2')],
        now: T2,
      });
      expect(third.opened.map(f => f.fingerprint)).toEqual(['f2']);
      expect(await store.getFinding(entity.entityRef, 'f2')).toMatchObject({
        status: 'open',
        firstSeenAt: T0,
        resolvedAt: undefined,
      });
    });

    it('filters, searches, orders and pages findings', async () => {
      const { store } = await createStore(databaseId);
      const entity = entityRecord('m');
      await store.upsertEntities([entity], T0);
      const findings = Array.from({ length: 25 }, (_, i) =>
        scannedFinding(`f${String(i).padStart(2, '0')}`, {
          severity: i % 5 === 0 ? 'critical' : 'low',
          ruleId: i % 2 ? 'PICKLE-EXEC' : 'DEP_100%_RISKY',
        }),
      );
      await store.applyScanFindings({
        entity,
        scannedTargets: ['file:/models'],
        findings,
        now: T0,
      });

      const page = await store.listFindings(entity.entityRef, {
        severity: ['critical'],
        limit: 2,
        offset: 1,
      });
      expect(page.totalCount).toBe(5);
      expect(page.items).toHaveLength(2);
      expect(page.items.every(f => f.severity === 'critical')).toBe(true);

      const bySeverity = await store.listFindings(entity.entityRef, {
        limit: 100,
      });
      expect(bySeverity.items[0].severity).toBe('critical');
      expect(bySeverity.items.at(-1)!.severity).toBe('low');

      // LIKE wildcards in the search text match literally.
      const literal = await store.listFindings(entity.entityRef, {
        q: '100%',
        limit: 100,
      });
      expect(literal.totalCount).toBe(13);
      expect(
        (await store.listFindings(entity.entityRef, { q: 'f07', limit: 100 }))
          .totalCount,
      ).toBe(1);
    });

    it('lets exactly one of two concurrent transitions on the same revision win', async () => {
      const { store } = await createStore(databaseId);
      await store.upsertEntities([entityRecord('m')], T0);
      await store.insertAcceptance(
        {
          id: 'acc-1',
          entityRef: 'resource:default/m',
          entityKind: 'resource',
          entityOwner: 'group:default/fraud',
          fingerprint: 'f1',
          status: 'requested',
          justification: 'needed for the legacy scorer',
          checklist: {
            inActiveUse: true,
            saferAlternativeAvailable: false,
            sourceTrustedAndHashPinned: true,
          },
          expiresAt: T2,
          requestedBy: 'user:default/alice',
          requestedAt: T0,
          revision: 1,
        },
        { action: 'requested', actor: 'user:default/alice', at: T0 },
      );
      const decide = (status: 'active' | 'rejected', actor: string) =>
        store.transitionAcceptance({
          id: 'acc-1',
          fromStatus: ['requested'],
          revision: 1,
          to: {
            status,
            decidedBy: actor,
            decidedAt: T1,
            decisionComment: status,
          },
          event: {
            action: status === 'active' ? 'approved' : 'rejected',
            actor,
            at: T1,
          },
        });
      const results = await Promise.all([
        decide('active', 'user:default/bob'),
        decide('rejected', 'user:default/carol'),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await store.getAcceptance('acc-1');
      expect(stored!.revision).toBe(2);
      expect(stored!.history.map(e => e.action)).toEqual([
        'requested',
        results[0] ? 'approved' : 'rejected',
      ]);
    });

    it('aggregates teams, trends and reports', async () => {
      const { store } = await createStore(databaseId);
      const a = entityRecord('a');
      const b = entityRecord('b', { owner: 'group:default/vision' });
      await store.upsertEntities([a, b], T0);
      await store.applyScanFindings({
        entity: a,
        scannedTargets: ['file:/models'],
        findings: [
          scannedFinding('f1'),
          scannedFinding('f2', {
            ruleId: 'SOURCE-STALE-DEPENDENCY',
            severity: 'medium',
            evidence: { package: 'dill' },
          }),
        ],
        now: T0,
      });
      await store.setEntityDecision(a.entityRef, {
        decision: 'BLOCK',
        counts: { critical: 1, high: 0, medium: 1, low: 0, info: 0 },
        acceptedCount: 0,
      });
      await store.recordDailyDecision([
        {
          entityRef: a.entityRef,
          owner: a.owner,
          day: '2026-01-01',
          decision: 'BLOCK',
          counts: { critical: 1, high: 0, medium: 1, low: 0, info: 0 },
        },
        {
          entityRef: a.entityRef,
          owner: a.owner,
          day: '2026-01-02',
          decision: 'PASS',
          counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
        },
      ]);
      // Same day again replaces the row.
      await store.recordDailyDecision([
        {
          entityRef: a.entityRef,
          owner: a.owner,
          day: '2026-01-02',
          decision: 'TICKET',
          counts: { critical: 0, high: 0, medium: 2, low: 0, info: 0 },
        },
      ]);

      const teams = await store.teamOverviews();
      expect(teams).toEqual([
        expect.objectContaining({
          owner: 'group:default/fraud',
          entityCount: 1,
          decisions: { BLOCK: 1, TICKET: 0, PASS: 0, UNKNOWN: 0 },
        }),
        expect.objectContaining({
          owner: 'group:default/vision',
          entityCount: 1,
          decisions: { BLOCK: 0, TICKET: 0, PASS: 0, UNKNOWN: 1 },
        }),
      ]);
      expect(teams[0].counts.critical).toBe(1);
      expect(
        await store.teamTrend('group:default/fraud', '2026-01-01'),
      ).toEqual([
        {
          date: '2026-01-01',
          open: { critical: 1, high: 0, medium: 1, low: 0, info: 0 },
          blockedEntities: 1,
        },
        {
          date: '2026-01-02',
          open: { critical: 0, high: 0, medium: 2, low: 0, info: 0 },
          blockedEntities: 0,
        },
      ]);
      expect(await store.topRules('group:default/fraud', 5)).toEqual([
        {
          ruleId: 'PICKLE-EXEC',
          title: 'Pickle executes code on load',
          count: 1,
        },
        {
          ruleId: 'SOURCE-STALE-DEPENDENCY',
          title: 'Pickle executes code on load',
          count: 1,
        },
      ]);
      expect(
        (await store.oldestOpenFindings('group:default/fraud', 1))[0].entityRef,
      ).toBe(a.entityRef);
      const stale = await store.listOpenFindingsByRule([
        'SOURCE-STALE-DEPENDENCY',
      ]);
      expect(stale.map(f => [f.fingerprint, f.entityOwner])).toEqual([
        ['f2', 'group:default/fraud'],
      ]);

      await store.insertReport({
        id: 'r1',
        period: '2026-Q1',
        generatedAt: T0,
        trigger: 'manual',
        teams: [],
      });
      await store.insertReport({
        id: 'r2',
        period: '2026-Q1',
        generatedAt: T1,
        trigger: 'schedule',
        teams: [],
      });
      expect((await store.listReports()).map(r => r.id)).toEqual(['r2', 'r1']);
      expect((await store.getReport('latest'))!.id).toBe('r2');
      expect(await store.getReport('nope')).toBeUndefined();
    });
  });
});
