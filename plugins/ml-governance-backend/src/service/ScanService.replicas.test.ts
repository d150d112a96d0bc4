import {
  TestDatabases,
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { type Knex } from 'knex';
import type { ScanResult } from '@ml-governance/scanner';
import type { TargetResolver } from '@ml-governance/plugin-ml-governance-node';
import { DatabaseMlGovernanceStore } from '../database/DatabaseMlGovernanceStore';
import { entityRecord } from '../__testUtils__/testData';
import { PolicyRegistry } from '../policy/PolicyRegistry';
import { DecisionService } from './DecisionService';
import { silentNotifier } from '../__testUtils__/silentNotifier';
import { ScanService } from './ScanService';

jest.setTimeout(120_000);

const ENTITY_COUNT = 40;

/** A second connection pool to the same database, as another replica would have. */
function secondPool(knex: Knex): Knex {
  return knexFactory(knex.client.config);
}

function replica(knex: Knex, scanLog: string[], workerId: string) {
  return (async () => {
    const store = await DatabaseMlGovernanceStore.create({
      database: mockServices.database({ knex, migrations: { skip: true } }),
    });
    // Records which entity each replica resolved, and takes a little time so rounds overlap.
    const resolver: TargetResolver = {
      id: 'recording',
      supports: () => true,
      resolve: async (_target, { entityRef }) => {
        scanLog.push(`${workerId} ${entityRef}`);
        await new Promise(resolve => setTimeout(resolve, 5));
        return {
          unchanged: false,
          digest: `d-${Date.now()}`,
          path: '/nowhere',
          cleanup: async () => {},
        };
      },
    };
    const emptyResult: ScanResult = {
      tool: { name: 'mlgov', version: 'test' },
      target: '/nowhere',
      startedAt: new Date().toISOString(),
      durationMs: 0,
      files: [],
      findings: [],
      components: [],
    };
    const policies = new PolicyRegistry({});
    const clock = () => new Date();
    return new ScanService({
      store,
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      scanner: { scanPath: async () => emptyResult },
      resolvers: [resolver],
      policies,
      decisions: new DecisionService(store, policies, clock),
      notifier: silentNotifier,
      clock,
      concurrency: 3,
      leaseMs: 30_000,
      workerId,
    });
  })();
}

describe('ScanService with several replicas on one database', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'scans every due entity exactly once across replicas on %p',
    async (id: TestDatabaseId) => {
      const knexA = await databases.init(id);
      const setup = await DatabaseMlGovernanceStore.create({
        database: mockServices.database({ knex: knexA }),
      });
      const names = Array.from(
        { length: ENTITY_COUNT },
        (_, i) => `model-${i}`,
      );
      await setup.upsertEntities(
        names.map(name => entityRecord(name)),
        new Date().toISOString(),
      );
      await setup.requestScan(new Date(Date.now() - 1000).toISOString());

      // SQLite in memory is one process's database: both replicas share the pool there.
      const knexB = id === 'SQLITE_3' ? knexA : secondPool(knexA);
      const scanLog: string[] = [];
      const [a, b] = await Promise.all([
        replica(knexA, scanLog, 'replica-a'),
        replica(knexB, scanLog, 'replica-b'),
      ]);

      const [scannedByA, scannedByB] = await Promise.all([
        a.runScanRound(),
        b.runScanRound(),
      ]);

      const all = [...scannedByA, ...scannedByB].sort();
      expect(all).toEqual(names.map(name => `resource:default/${name}`).sort());
      expect(new Set(all).size).toBe(ENTITY_COUNT);
      expect(scanLog).toHaveLength(ENTITY_COUNT);
      // On PostgreSQL both replicas did part of the work (SQLite in memory serialises them).
      const minimumShare = id === 'SQLITE_3' ? 0 : 1;
      expect(scannedByA.length).toBeGreaterThanOrEqual(minimumShare);
      expect(scannedByB.length).toBeGreaterThanOrEqual(minimumShare);
      // Every entity has exactly one finished scan run and no claim left behind.
      for (const name of names) {
        const { items: runs } = await setup.listScanRuns(
          `resource:default/${name}`,
          { limit: 10 },
        );
        expect(runs.map(run => run.status)).toEqual(['succeeded']);
      }
      expect(await a.runScanRound()).toEqual([]);
      if (knexB !== knexA) await knexB.destroy();
    },
  );
});
