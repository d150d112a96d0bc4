import knexFactory, { type Knex } from 'knex';
import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';

/**
 * The database a benchmark runs on: SQLite in memory by default, PostgreSQL when
 * `MLGOV_BENCH_PG` holds a connection string (a fresh database is created and dropped).
 */
export async function benchDatabase(
  options: {
    /** SQLite in this file instead of in memory (so other processes can open it). */
    sqliteFile?: string;
  } = {},
): Promise<{
  engine: string;
  knex: Knex;
  /** How another process connects to the same database. */
  config: Knex.Config;
  database: DatabaseService;
  close(): Promise<void>;
}> {
  const pg = process.env.MLGOV_BENCH_PG;
  if (!pg) {
    const config: Knex.Config = {
      client: 'better-sqlite3',
      connection: options.sqliteFile
        ? { filename: options.sqliteFile }
        : ':memory:',
      useNullAsDefault: true,
    };
    const knex = knexFactory(config);
    // Write-ahead log: seeding commits a transaction per entity; the setting stays with the file.
    if (options.sqliteFile) await knex.raw('PRAGMA journal_mode = WAL');
    return {
      engine: options.sqliteFile ? 'SQLite (file, WAL)' : 'SQLite (in memory)',
      knex,
      config,
      database: { getClient: async () => knex },
      close: () => knex.destroy(),
    };
  }
  const name = `mlgov_bench_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: pg });
  await admin.raw(`CREATE DATABASE ${name}`);
  const config: Knex.Config = {
    client: 'pg',
    connection: `${pg.replace(/\/$/, '')}/${name}`,
    pool: { min: 0, max: 10 },
  };
  const knex = knexFactory(config);
  return {
    engine: 'PostgreSQL 15',
    knex,
    config,
    database: { getClient: async () => knex },
    close: async () => {
      await knex.destroy();
      await admin.raw(`DROP DATABASE ${name}`);
      await admin.destroy();
    },
  };
}

export function percentile(sortedMs: number[], p: number): number {
  const index = Math.min(
    sortedMs.length - 1,
    Math.ceil((p / 100) * sortedMs.length) - 1,
  );
  return sortedMs[Math.max(0, index)];
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

/** Prints warnings and errors only, so timings are not distorted by logging. */
export const benchLogger: LoggerService = {
  error: (message: string) => console.error(message),
  warn: (message: string) => console.warn(message),
  info: () => {},
  debug: () => {},
  child: () => benchLogger,
};
