/*
 * One scanning replica for bench/scanReplicas.ts: the real scan pipeline (claims, leases, group
 * commits, decisions) over the shared PostgreSQL database (MLGOV_BENCH_DB), with a scripted scanner
 * whose resolver waits MLGOV_BENCH_SCAN_MS per entity (the artifact I/O a real scan would do). Waits
 * for a line on stdin, runs scan rounds until nothing is due, then prints `DONE {json}`: the entities
 * it scanned and those it sent a blocking-finding notification for.
 */
import knexFactory from 'knex';
import { silentNotifier } from '../src/__testUtils__/silentNotifier';
import {
  createScanHarness,
  entityRefResolver,
  scriptedScanner,
} from '../src/__testUtils__/scanHarness';
import { scannedFinding } from '../src/__testUtils__/testData';
import { benchLogger } from './benchUtils';

async function main() {
  const scanMs = Number(process.env.MLGOV_BENCH_SCAN_MS ?? 20);
  const knex = knexFactory(JSON.parse(process.env.MLGOV_BENCH_DB!));
  const notified: string[] = [];
  const { scans } = await createScanHarness({
    knex,
    migrate: false,
    workerId: `bench-${process.pid}`,
    concurrency: Number(process.env.MLGOV_BENCH_CONCURRENCY ?? 4),
    logger: benchLogger,
    notifier: {
      ...silentNotifier,
      newBlockingFindings: async entityRef => {
        notified.push(entityRef);
      },
    },
    // One critical finding per entity: each entity's first scan notifies exactly once.
    scanner: scriptedScanner(entityRef => [
      scannedFinding(`exec-${entityRef.replace(/\W/g, '-')}`),
    ]),
    resolvers: [
      entityRefResolver({
        onResolve: () => new Promise(resolve => setTimeout(resolve, scanMs)),
      }),
    ],
  });
  process.stdout.write('READY\n');
  process.stdin.once('data', async () => {
    const scanned = await scans.runScanRound();
    process.stdout.write(`DONE ${JSON.stringify({ scanned, notified })}\n`);
    await knex.destroy();
    process.exit(0);
  });
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
