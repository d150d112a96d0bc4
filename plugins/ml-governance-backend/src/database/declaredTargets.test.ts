import {
  TestDatabases,
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import { DatabaseMlGovernanceStore } from './DatabaseMlGovernanceStore';
import { entityRecord } from '../__testUtils__/testData';

jest.setTimeout(60_000);

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';

describe('declared targets in the store', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    return DatabaseMlGovernanceStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('keeps the annotation value of each target across syncs, and none for entities synced without', async () => {
      const store = await createStore(databaseId);
      const declaredTargets = {
        'file:/srv/catalog/team/models/foo.pt': 'file:./models/foo.pt',
        'hf://org/name': 'hf://org/name',
      };
      await store.upsertEntities(
        [
          {
            ...entityRecord('a'),
            targets: Object.keys(declaredTargets),
            declaredTargets,
          },
          entityRecord('b'),
        ],
        T0,
      );
      expect(
        (await store.getEntity('resource:default/a'))?.declaredTargets,
      ).toEqual(declaredTargets);
      expect(
        (await store.getEntity('resource:default/b'))?.declaredTargets,
      ).toEqual({});

      // the owner edits the annotation: the next sync replaces the mapping
      await store.upsertEntities(
        [
          {
            ...entityRecord('a'),
            targets: ['file:/srv/catalog/team/weights'],
            declaredTargets: {
              'file:/srv/catalog/team/weights': 'file:./weights',
            },
          },
        ],
        T1,
      );
      expect(
        (await store.getEntity('resource:default/a'))?.declaredTargets,
      ).toEqual({ 'file:/srv/catalog/team/weights': 'file:./weights' });
    });
  });
});
