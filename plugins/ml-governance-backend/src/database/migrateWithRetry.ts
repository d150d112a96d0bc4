import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/**
 * Errors another replica's concurrent migration causes: knex's migration lock is held (knex fails
 * at once rather than waiting), or both created knex's own bookkeeping tables at the same moment
 * (PostgreSQL: duplicate table 42P07, unique violation 23505 on the catalog). Anything else is a real
 * migration failure and is not retried.
 */
function isConcurrentMigration(error: unknown): boolean {
  const { name, code, message } = (error ?? {}) as {
    name?: string;
    code?: string;
    message?: string;
  };
  if (
    name === 'MigrationLocked' ||
    /migration table is already locked/i.test(message ?? '')
  )
    return true;
  if (code === '42P07' || code === '23505')
    return /knex_migrations/i.test(`${message} ${JSON.stringify(error)}`);
  return /knex_migrations.*already exists/i.test(message ?? '');
}

/**
 * `migrate.latest`, waiting for another replica that is migrating the same database at the same time
 * (two replicas started together on a fresh database used to both fail with "Migration table is
 * already locked"). Retries with jittered back-off until `maxWaitMs`, logging each wait.
 */
export async function migrateWithRetry(
  knex: Knex,
  directory: string,
  options: { logger?: LoggerService; maxWaitMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.maxWaitMs ?? 60_000);
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ directory });
      if (attempt > 1)
        options.logger?.info(
          `ML Governance database migrations done after ${attempt} attempts`,
        );
      return;
    } catch (error) {
      if (!isConcurrentMigration(error) || Date.now() >= deadline) throw error;
      const delayMs =
        Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)) *
        (0.5 + Math.random() / 2);
      options.logger?.info(
        `ML Governance database is being migrated by another replica (${
          (error as Error).message
        }); retrying in ${Math.round(delayMs)} ms`,
      );
      await new Promise(resolve => setTimeout(resolve, delayMs));
    }
  }
}
