import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { entityRecord, scannedFinding } from '../__testUtils__/testData';
import {
  createScanHarness,
  entityRefResolver,
  scriptedScanner,
} from '../__testUtils__/scanHarness';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';

jest.setTimeout(120_000);

/**
 * Keys an attacker wrote (an owner from `spec.owner`, a ref, a digest) with a NUL and lone
 * surrogates. Rows store them escaped (`\u0000`); every read and write must find those rows by the
 * key as given, and PostgreSQL must never receive the NUL (it refuses the whole statement).
 */
const OWNER = 'group:default/te\u0000am\uD800';
const OWNER_AS_STORED = 'group:default/te\\u0000am\\uD800';
const REF = 'resource:default/m\u0000x\uDC00';
const REF_AS_STORED = 'resource:default/m\\u0000x\\uDC00';

describe('hostile keys', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'are stored escaped and found by the key as written, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { store, scans } = await createScanHarness({
        knex,
        scanner: scriptedScanner(() => [scannedFinding('f1')]),
        resolvers: [entityRefResolver()],
      });
      await store.upsertEntities(
        [
          { ...entityRecord('m'), entityRef: REF, owner: OWNER },
          entityRecord('plain', { owner: OWNER }),
        ],
        new Date().toISOString(),
      );
      await store.requestScan(new Date(Date.now() - 1000).toISOString());
      expect((await scans.runScanRound()).sort()).toEqual(
        [REF_AS_STORED, 'resource:default/plain'].sort(),
      );

      for (const ref of [REF, REF_AS_STORED]) {
        const entity = await store.getEntity(ref);
        expect(entity).toMatchObject({
          entityRef: REF_AS_STORED,
          owner: OWNER_AS_STORED,
          decision: 'BLOCK',
        });
        expect((await store.listFindings(ref, { limit: 5 })).totalCount).toBe(
          1,
        );
        expect((await store.countOpenBySeverity(ref)).open.critical).toBe(1);
      }
      for (const owner of [OWNER, OWNER_AS_STORED]) {
        expect(await store.teamOverview(owner)).toMatchObject({
          owner: OWNER_AS_STORED,
          entityCount: 2,
          decisions: { BLOCK: 2 },
        });
        const page = await store.listTeamEntities(owner, { limit: 10 });
        expect(page.items.map(e => e.entityRef).sort()).toEqual(
          [REF_AS_STORED, 'resource:default/plain'].sort(),
        );
        expect(await store.oldestOpenFindings(owner, 5)).toHaveLength(2);
        expect(
          (await store.topRules(owner, 5)).map(r => [r.ruleId, r.count]),
        ).toEqual([['PICKLE-EXEC', 2]]);
      }
      // Inside a transaction too: the store handed to the work escapes its arguments as well.
      expect(
        await store.transaction(async tx => (await tx.getEntity(REF))?.owner),
      ).toBe(OWNER_AS_STORED);
    },
  );

  it.each(databases.eachSupportedId())(
    'reach the promotion store the same way, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const promotions = await DatabasePromotionStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const digest = `sha256:${'a'.repeat(63)}\u0000`;
      await promotions.recordSighting({
        entityRef: REF,
        entityKind: 'resource',
        entityOwner: OWNER,
        target: 'file:/m\u0000',
        digest,
        source: 'files',
        at: '2026-03-01T09:00:00.000Z',
      });
      for (const ref of [REF, REF_AS_STORED]) {
        const versions = await promotions.listVersions(ref);
        expect(versions).toHaveLength(1);
        expect(versions[0]).toMatchObject({
          entityRef: REF_AS_STORED,
          stage: 'quarantined',
        });
      }
      expect(await promotions.findVersion(REF, digest)).toBeDefined();
    },
  );
});
