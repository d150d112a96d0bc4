/*
 * API latency (p50/p95) of the entity summary, findings and team aggregate endpoints with 100,000
 * findings (1,000 entities × 100 findings, 20 owner teams, 30 days of decision history), over HTTP
 * through the real router and store.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/apiLatency.ts
 *   MLGOV_BENCH_PG=postgresql://postgres:postgres@127.0.0.1:5432 node --require … bench/apiLatency.ts
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { DatabaseMlGovernanceStore } from '../src/database/DatabaseMlGovernanceStore';
import { PolicyRegistry } from '../src/policy/PolicyRegistry';
import { DecisionService } from '../src/service/DecisionService';
import { benchDatabase, formatMs, percentile } from './benchUtils';
import { createBenchRouter, ENTITIES, seed, TEAMS } from './benchBackend';

const SAMPLES = Number(process.env.MLGOV_BENCH_SAMPLES ?? 300);

async function measure(baseUrl: string, label: string, path: () => string) {
  for (let i = 0; i < 20; i++)
    await (await fetch(`${baseUrl}${path()}`)).arrayBuffer();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    const res = await fetch(`${baseUrl}${path()}`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${label}: HTTP ${res.status}`);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(58)} p50 ${formatMs(percentile(samples, 50)).padStart(
      9,
    )}   p95 ${formatMs(percentile(samples, 95)).padStart(9)}`,
  );
}

async function main() {
  const db = await benchDatabase();
  const store = await DatabaseMlGovernanceStore.create({
    database: db.database,
  });
  const policies = new PolicyRegistry({});
  const clock = () => new Date();
  const decisions = new DecisionService(store, policies, clock);

  let start = performance.now();
  await seed(store, decisions);
  const [{ count }] = await db.knex('mlgov_findings').count({ count: '*' });
  console.log(
    `${
      db.engine
    }: seeded ${count} findings on ${ENTITIES} entities in ${formatMs(
      performance.now() - start,
    )}`,
  );

  const router = await createBenchRouter(store);
  const app = express();
  app.use('/api/ml-governance', router);
  const server = app.listen(0);
  const baseUrl = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/api/ml-governance`;

  let n = 0;
  const entity = () => `resource/default/model-${(n++ * 7919) % ENTITIES}`;
  const team = () => `default/team-${n++ % TEAMS}`;
  console.log(
    `${db.engine}: ${SAMPLES} sequential requests per endpoint after 20 warm-up requests`,
  );
  start = performance.now();
  await measure(
    baseUrl,
    'GET /entities/…/summary',
    () => `/entities/${entity()}/summary`,
  );
  await measure(
    baseUrl,
    'GET /entities/…/findings (first page of 50, by severity)',
    () => `/entities/${entity()}/findings?limit=50`,
  );
  await measure(
    baseUrl,
    'GET /entities/…/findings?status=open&severity=critical,high',
    () =>
      `/entities/${entity()}/findings?status=open&severity=critical,high&limit=50&offset=10`,
  );
  await measure(
    baseUrl,
    'GET /entities/…/findings?q=os.system (search)',
    () => `/entities/${entity()}/findings?q=os.system&limit=50`,
  );
  await measure(
    baseUrl,
    'GET /gate/… (live policy evaluation, 100 findings)',
    () => `/gate/${entity()}`,
  );
  await measure(
    baseUrl,
    'GET /teams/:ns/:name?trendDays=30 (50 entities, 5,000 findings)',
    () => `/teams/${team()}?trendDays=30`,
  );
  await measure(baseUrl, 'GET /teams (all 20 teams)', () => '/teams');
  console.log(
    `${db.engine}: measured in ${formatMs(performance.now() - start)}`,
  );

  server.close();
  await db.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
