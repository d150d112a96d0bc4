/*
 * One API replica for bench/httpLoad.ts: the real router and store over the database the parent
 * seeded (MLGOV_BENCH_DB, a JSON knex config), on a free port it prints as `LISTENING <port>`.
 * `GET /__bench/cpu` (outside the plugin's router) answers the process's CPU time so far, from which
 * the parent computes CPU per request. The parent may copy this file next to an earlier commit's
 * sources (MLGOV_BENCH_BASELINE) to serve those instead.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import knexFactory from 'knex';
import { DatabaseMlGovernanceStore } from '../src/database/DatabaseMlGovernanceStore';
import { createBenchRouter } from './benchBackend';

async function main() {
  const knex = knexFactory(JSON.parse(process.env.MLGOV_BENCH_DB!));
  const store = await DatabaseMlGovernanceStore.create({
    database: { getClient: async () => knex },
    skipMigrations: true,
  });
  const app = express();
  app.get('/__bench/cpu', (_req, res) => {
    res.json(process.cpuUsage());
  });
  app.use('/api/ml-governance', await createBenchRouter(store));
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(
      `LISTENING ${(server.address() as AddressInfo).port}\n`,
    );
  });
  process.on('SIGTERM', () => {
    server.close();
    // Requests still in flight when the load stops are cut off: nothing to report.
    knex.destroy().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  });
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
