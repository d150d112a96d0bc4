/*
 * One backend replica's scan service, as a child process of src/tests/crashedReplicas.test.ts.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs scanReplicaChild.ts
 *
 * Env: MLGOV_CHILD_DB (JSON knex connection), MLGOV_CHILD_WORKER, MLGOV_CHILD_LEASE_MS and
 * MLGOV_CHILD_MODE: `crash-claim` (hangs once it holds claims, before scanning), `crash-write` (hangs
 * inside the commit transaction, after writing and before COMMIT), `survivor` (scans in rounds like
 * the worker task) or `restarted` (like a replica's start-up: marks abandoned runs, then scans).
 * The parent kills the crashing modes with SIGKILL at the line they print; `go` on stdin starts work.
 */
import knexFactory from 'knex';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  createScanHarness,
  entityRefResolver,
  scriptedScanner,
} from './scanHarness';
import { scannedFinding } from './testData';

const mode = process.env.MLGOV_CHILD_MODE ?? 'survivor';
const leaseMs = Number(process.env.MLGOV_CHILD_LEASE_MS ?? 2000);
const worker = process.env.MLGOV_CHILD_WORKER ?? `child-${process.pid}`;

const say = (line: string) => process.stdout.write(`${line}\n`);
const hang = () => new Promise<never>(() => {});

const logger: LoggerService = {
  error: (message: string) =>
    process.stderr.write(`[${worker}] error ${message}\n`),
  warn: (message: string) =>
    process.stderr.write(`[${worker}] warn ${message}\n`),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

async function main() {
  const knex = knexFactory({
    client: 'pg',
    connection: JSON.parse(process.env.MLGOV_CHILD_DB!),
    pool: { min: 0, max: 5 },
  });
  const { store, scans } = await createScanHarness({
    knex,
    migrate: false,
    leaseMs,
    workerId: worker,
    logger,
    // One critical finding per entity, its fingerprint derived from the entity: a lost or duplicated
    // write shows as a missing or second row.
    scanner: scriptedScanner(entityRef => [
      scannedFinding(`exec-${entityRef.replace(/\W/g, '-')}`),
    ]),
    resolvers: [
      entityRefResolver({
        onResolve: async () => {
          if (mode === 'crash-claim') {
            say('CLAIMED');
            await hang();
          }
          await new Promise(resolve => setTimeout(resolve, 20));
        },
      }),
    ],
  });
  if (mode === 'crash-write') {
    const transaction = store.transaction.bind(store);
    store.transaction = work =>
      transaction(async tx => {
        const result = await work(tx);
        say('WRITING');
        return hang().then(() => result);
      });
  }

  const rounds = async () => {
    for (;;) {
      await scans.runScanRound();
      await new Promise(resolve => setTimeout(resolve, leaseMs / 4));
    }
  };
  if (mode === 'restarted') {
    await scans.markAbandonedRuns();
    say('READY');
    await rounds();
    return;
  }
  say('READY');
  process.stdin.setEncoding('utf8');
  process.stdin.once('data', () => {
    (mode === 'survivor' ? rounds() : scans.runScanRound()).catch(error => {
      logger.error(String(error));
      process.exit(2);
    });
  });
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
