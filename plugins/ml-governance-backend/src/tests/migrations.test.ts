import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { readdirSync } from 'node:fs';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath('@ml-governance/plugin-ml-governance-backend', 'migrations');
const migrationFiles = readdirSync(migrationsDir).filter(name => name.endsWith('.js')).sort();

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

  it.each(databases.eachSupportedId())('walks every migration up and down on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    expect(migrationFiles.length).toBeGreaterThan(0);

    for (let i = 0; i < migrationFiles.length; i++) await migrateUpOnce(knex);
    for (const table of TABLES) expect(await knex.schema.hasTable(table)).toBe(true);

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
    await expect(knex('mlgov_findings').insert({ ...finding, id: 'f2' })).rejects.toThrow();

    for (let i = 0; i < migrationFiles.length; i++) await migrateDownOnce(knex);
    for (const table of TABLES) expect(await knex.schema.hasTable(table)).toBe(false);

    // And up again from scratch.
    await knex.migrate.latest({ directory: migrationsDir });
    for (const table of TABLES) expect(await knex.schema.hasTable(table)).toBe(true);
    await knex.destroy();
  });
});
