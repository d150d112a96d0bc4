/*
 * PostgreSQL plans of the hot routes' queries at 100,000 findings: seeds the benchmark database, sends
 * one request per route through the real router while recording every statement knex issues, then runs
 * EXPLAIN (ANALYZE, BUFFERS) on each distinct one and prints the plans (docs/benchmarks.md quotes them).
 *
 *   MLGOV_BENCH_PG=postgresql://postgres:postgres@127.0.0.1:5432 \
 *     node --require @backstage/cli/config/nodeTransform.cjs bench/queryPlans.ts
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { DatabaseMlGovernanceStore } from '../src/database/DatabaseMlGovernanceStore';
import { PolicyRegistry } from '../src/policy/PolicyRegistry';
import { DecisionService } from '../src/service/DecisionService';
import { benchDatabase } from './benchUtils';
import {
  BIG_ENTITY,
  BIG_FINDINGS,
  createBenchRouter,
  seed,
} from './benchBackend';

const API = '/api/ml-governance';

async function main() {
  if (!process.env.MLGOV_BENCH_PG)
    throw new Error('query plans are PostgreSQL plans: set MLGOV_BENCH_PG');
  const db = await benchDatabase();
  try {
    const store = await DatabaseMlGovernanceStore.create({
      database: db.database,
    });
    await seed(
      store,
      new DecisionService(store, new PolicyRegistry({}), () => new Date()),
    );
    // What autovacuum does to a live database after a bulk load: statistics, and the visibility
    // map that lets index-only scans skip the heap.
    await db.knex.raw('VACUUM (ANALYZE)');
    const app = express();
    app.use(API, await createBenchRouter(store));
    const server = app.listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    const base = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }${API}`;

    const routes: Record<string, string> = {
      'entity summary': '/entities/resource/default/model-7/summary',
      'findings, first page':
        '/entities/resource/default/model-7/findings?limit=50',
      'findings, filtered':
        '/entities/resource/default/model-7/findings?status=open&severity=critical,high&limit=10&offset=10',
      gate: '/gate/resource/default/model-7',
      'team summary': '/teams/default/team-3?trendDays=30',
      'all teams': '/teams',
    };
    if (BIG_FINDINGS > 0) {
      const big = BIG_ENTITY.replace(':', '/');
      const first = (await (
        await fetch(`${base}/entities/${big}/findings?limit=500`)
      ).json()) as { nextCursor: string };
      routes[
        'big entity, page by cursor'
      ] = `/entities/${big}/findings?limit=50&cursor=${first.nextCursor}`;
      routes[
        'big entity, page by offset'
      ] = `/entities/${big}/findings?limit=50&offset=${BIG_FINDINGS - 100}`;
    }
    for (const [label, path] of Object.entries(routes)) {
      const statements: { sql: string; bindings: unknown[] }[] = [];
      const record = (query: { sql: string; bindings?: unknown[] }) => {
        if (/^\s*select/i.test(query.sql))
          statements.push({ sql: query.sql, bindings: query.bindings ?? [] });
      };
      db.knex.on('query', record);
      const res = await fetch(`${base}${path}`);
      await res.arrayBuffer();
      db.knex.removeListener('query', record);
      console.log(
        `\n## ${label} (GET ${path.split('?')[0]}, HTTP ${res.status})\n`,
      );
      for (const statement of statements) {
        const explained = await db.knex.raw(
          `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql.replace(
            /\$(\d+)/g,
            '?',
          )}`,
          statement.bindings as any[],
        );
        console.log('```sql');
        console.log(statement.sql);
        console.log('```\n```text');
        for (const row of explained.rows) console.log(row['QUERY PLAN']);
        console.log('```');
      }
    }
    server.close();
  } finally {
    await db.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
