import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { DatabaseMlGovernanceStore } from '../database/DatabaseMlGovernanceStore';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { readdirSync } from 'node:fs';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@ml-governance/plugin-ml-governance-backend',
  'migrations',
);
const migrationFiles = readdirSync(migrationsDir)
  .filter(name => name.endsWith('.js'))
  .sort();

const TABLES = [
  'mlgov_entities',
  'mlgov_scan_runs',
  'mlgov_findings',
  'mlgov_acceptances',
  'mlgov_acceptance_events',
  'mlgov_decision_history',
  'mlgov_report_snapshots',
];

async function migrateUpOnce(knex: Knex) {
  await knex.migrate.up({ directory: migrationsDir });
}

async function migrateDownOnce(knex: Knex) {
  await knex.migrate.down({ directory: migrationsDir });
}

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'walks every migration up and down on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      expect(migrationFiles.length).toBeGreaterThan(0);

      const countersAt = migrationFiles.indexOf(
        '20261204000000_finding_counters.js',
      );
      expect(countersAt).toBeGreaterThan(0);
      for (let i = 0; i < countersAt; i++) await migrateUpOnce(knex);
      // Rows written before the counters existed: the counters migration counts them.
      await knex('mlgov_entities').insert({
        entity_ref: 'resource:default/old',
        entity_kind: 'resource',
        entity_owner: 'group:default/a',
        decision: 'BLOCK',
        open_critical: 2,
        accepted_count: 1,
        synced_at: '2026-01-01T00:00:00.000Z',
      });
      const oldFinding = (id: string, status: string) => ({
        id,
        entity_ref: 'resource:default/old',
        entity_kind: 'resource',
        fingerprint: id,
        target: 'file:/x',
        rule_id: 'PICKLE-EXEC',
        title: 'Pickle executes code',
        severity: 'critical',
        severity_rank: 5,
        message: 'm',
        path: 'model.pkl',
        location: '{}',
        evidence: '{}',
        details: '{}',
        status,
        first_seen_at: '2026-01-01T00:00:00.000Z',
        last_seen_at: '2026-01-01T00:00:00.000Z',
      });
      await knex('mlgov_findings').insert([
        oldFinding('o1', 'open'),
        oldFinding('o2', 'open'),
        oldFinding('o3', 'accepted'),
        oldFinding('o4', 'resolved'),
      ]);
      const oldHistory = (ref: string, decision: string, critical: number) => ({
        entity_ref: ref,
        day: '2026-01-01',
        entity_owner: 'group:default/a',
        decision,
        open_critical: critical,
      });
      await knex('mlgov_decision_history').insert([
        oldHistory('resource:default/old', 'BLOCK', 2),
        oldHistory('resource:default/older', 'PASS', 0),
      ]);
      await migrateUpOnce(knex);
      const ruleCounters = await knex('mlgov_rule_counters')
        .select('entity_ref', 'rule_id', 'status', 'finding_count')
        .orderBy('status');
      expect(
        ruleCounters.map(r => ({
          ...r,
          finding_count: Number(r.finding_count),
        })),
      ).toEqual([
        {
          entity_ref: 'resource:default/old',
          rule_id: 'PICKLE-EXEC',
          status: 'accepted',
          finding_count: 1,
        },
        {
          entity_ref: 'resource:default/old',
          rule_id: 'PICKLE-EXEC',
          status: 'open',
          finding_count: 2,
        },
      ]);
      expect(await knex('mlgov_team_counters')).toEqual([
        expect.objectContaining({
          owner: 'group:default/a',
          entity_count: 1,
          decision_block: 1,
          decision_unknown: 0,
          open_critical: 2,
          accepted_count: 1,
        }),
      ]);
      for (let i = countersAt + 1; i < migrationFiles.length; i++)
        await migrateUpOnce(knex);
      // The team rollups count what was there before them.
      expect(
        (await knex('mlgov_team_rule_counters')).map(r => ({
          ...r,
          finding_count: Number(r.finding_count),
        })),
      ).toEqual([
        {
          owner: 'group:default/a',
          rule_id: 'PICKLE-EXEC',
          title: 'Pickle executes code',
          finding_count: 2,
        },
      ]);
      expect(await knex('mlgov_team_history')).toEqual([
        expect.objectContaining({
          owner: 'group:default/a',
          day: '2026-01-01',
          open_critical: 2,
          blocked_entities: 1,
        }),
      ]);
      for (const table of TABLES)
        expect(await knex.schema.hasTable(table)).toBe(true);
      expect(await knex.schema.hasColumn('mlgov_scan_runs', 'worker')).toBe(
        true,
      );
      expect(await knex.schema.hasColumn('mlgov_entities', 'scan_error')).toBe(
        true,
      );

      // The schema accepts what the store writes, and keeps one finding per entity and fingerprint.
      const finding = {
        id: 'f1',
        entity_ref: 'resource:default/m',
        entity_kind: 'resource',
        fingerprint: 'abc',
        target: 'file:/x',
        rule_id: 'PICKLE-EXEC',
        title: 't',
        severity: 'critical',
        severity_rank: 5,
        message: 'm',
        path: 'model.pkl',
        location: '{}',
        evidence: '{}',
        details: '{}',
        status: 'open',
        first_seen_at: '2026-01-01T00:00:00.000Z',
        last_seen_at: '2026-01-01T00:00:00.000Z',
      };
      await knex('mlgov_findings').insert(finding);
      await expect(
        knex('mlgov_findings').insert({ ...finding, id: 'f2' }),
      ).rejects.toThrow();

      // The newest migration first: the team rollups (their own tables and an index).
      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('mlgov_team_rule_counters')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('mlgov_team_history')).toBe(false);

      // Then model API probe runs (its own table). A hostile-free row
      // with every column, so a type the engine refuses fails here rather than in the prober.
      expect(await knex.schema.hasTable('mlgov_model_api_probe_runs')).toBe(
        true,
      );
      await knex('mlgov_model_api_probe_runs').insert({
        id: 'r1',
        entity_ref: 'api:default/assistant',
        version_digest: `model-api:sha256:${'a'.repeat(64)}`,
        provider_id: 'openai',
        model: 'gpt-4o-2024-08-06',
        model_pinned: true,
        system_prompt_location: 'https://example.com/prompt.md',
        system_prompt_digest: `sha256:${'b'.repeat(64)}`,
        started_at: '2026-01-01T00:00:00.000Z',
        finished_at: '2026-01-01T00:00:01.000Z',
        probes: 4,
        errors: 0,
        latency_ms: 123.456,
        similarity: 0.987654321,
        refusal_rate: 0.5,
        healthy: true,
      });
      const [probeRun] = await knex('mlgov_model_api_probe_runs');
      expect(Number(probeRun.similarity)).toBeCloseTo(0.987654321, 8);
      expect(probeRun.alerts).toBe('[]');
      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('mlgov_model_api_probe_runs')).toBe(
        false,
      );

      // Then the declared targets of entities.
      expect(
        await knex.schema.hasColumn('mlgov_entities', 'declared_targets'),
      ).toBe(true);
      await migrateDownOnce(knex);
      expect(
        await knex.schema.hasColumn('mlgov_entities', 'declared_targets'),
      ).toBe(false);

      // Then artifact promotion (its own tables, nothing else touched).
      const PROMOTION_TABLES = [
        'mlgov_artifact_versions',
        'mlgov_promotion_signoffs',
        'mlgov_promotion_events',
        'mlgov_rejected_artifacts',
      ];
      for (const table of PROMOTION_TABLES)
        expect(await knex.schema.hasTable(table)).toBe(true);
      const version = {
        id: 'v1',
        entity_ref: 'resource:default/m',
        entity_kind: 'resource',
        target: 'file:/x',
        digest: 'files:abc',
        source: 'files',
        stage: 'quarantined',
        first_seen_at: '2026-01-01T00:00:00.000Z',
        last_seen_at: '2026-01-01T00:00:00.000Z',
      };
      await knex('mlgov_artifact_versions').insert(version);
      // One version per entity and digest; one sign-off per version and kind.
      await expect(
        knex('mlgov_artifact_versions').insert({ ...version, id: 'v2' }),
      ).rejects.toThrow();
      const signOff = {
        id: 's1',
        version_id: 'v1',
        kind: 'security',
        actor: 'user:default/bob',
        at: '2026-01-01T00:00:00.000Z',
        comment: 'ok',
      };
      await knex('mlgov_promotion_signoffs').insert(signOff);
      await expect(
        knex('mlgov_promotion_signoffs').insert({ ...signOff, id: 's2' }),
      ).rejects.toThrow();
      await migrateDownOnce(knex);
      for (const table of PROMOTION_TABLES)
        expect(await knex.schema.hasTable(table)).toBe(false);

      // Then counters and pagination indexes.
      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('mlgov_rule_counters')).toBe(false);
      expect(await knex.schema.hasTable('mlgov_team_counters')).toBe(false);
      // Then the entity's lifecycle and type.
      expect(
        await knex.schema.hasColumn('mlgov_entities', 'entity_lifecycle'),
      ).toBe(true);
      await migrateDownOnce(knex);
      expect(
        await knex.schema.hasColumn('mlgov_entities', 'entity_lifecycle'),
      ).toBe(false);
      expect(await knex.schema.hasColumn('mlgov_entities', 'entity_type')).toBe(
        false,
      );
      // Then CI scan provenance.
      expect(await knex.schema.hasColumn('mlgov_scan_runs', 'commit_sha')).toBe(
        true,
      );
      await migrateDownOnce(knex);
      expect(await knex.schema.hasColumn('mlgov_scan_runs', 'commit_sha')).toBe(
        false,
      );
      expect(
        await knex.schema.hasColumn('mlgov_entities', 'last_ci_scan_at'),
      ).toBe(false);
      expect(await knex.schema.hasColumn('mlgov_scan_runs', 'worker')).toBe(
        true,
      );
      await migrateDownOnce(knex);
      expect(await knex.schema.hasColumn('mlgov_scan_runs', 'worker')).toBe(
        false,
      );
      expect(await knex.schema.hasColumn('mlgov_entities', 'scan_error')).toBe(
        false,
      );
      for (let i = 6; i < migrationFiles.length; i++)
        await migrateDownOnce(knex);
      for (const table of TABLES)
        expect(await knex.schema.hasTable(table)).toBe(false);

      // And up again from scratch.
      await knex.migrate.latest({ directory: migrationsDir });
      for (const table of TABLES)
        expect(await knex.schema.hasTable(table)).toBe(true);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'two replicas migrating a fresh database at the same instant both start on %p',
    async databaseId => {
      const knexA = await databases.init(databaseId);
      // Another replica has its own pool (SQLite in memory is one process's database: shared there).
      const knexB =
        databaseId === 'SQLITE_3' ? knexA : knexFactory(knexA.client.config);
      const logger = mockServices.logger.mock();
      const start = (knex: typeof knexA) =>
        DatabaseMlGovernanceStore.create({
          database: mockServices.database({
            knex,
            migrations: { skip: false },
          }),
          logger,
        });
      const [a, b] = await Promise.all([start(knexA), start(knexB)]);
      expect(a).toBeDefined();
      expect(b).toBeDefined();
      const applied = await knexA('knex_migrations').select('name');
      expect(applied.map(row => row.name).sort()).toEqual(migrationFiles);
      if (knexB !== knexA) await knexB.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'waits for a migration lock held by another replica, with a log line, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // Another replica is migrating: knex's lock row is taken.
      await knex.schema.createTable('knex_migrations_lock', table => {
        table.increments('index').primary();
        table.integer('is_locked');
      });
      await knex('knex_migrations_lock').insert({ is_locked: 1 });
      const logger = mockServices.logger.mock();
      const started = DatabaseMlGovernanceStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
        logger,
      });
      await new Promise(resolve => setTimeout(resolve, 800));
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /being migrated by another replica.*retrying in \d+ ms/,
        ),
      );
      await knex('knex_migrations_lock').update({ is_locked: 0 });
      await expect(started).resolves.toBeDefined();
      expect(await knex.schema.hasTable('mlgov_entities')).toBe(true);
    },
  );
});
