/*
 * HTTP load against the real router, services and store with 100,000 findings (1,000 entities × 100,
 * 20 teams, 30 days of history) plus one entity with MLGOV_BENCH_BIG findings for deep pages, driven
 * by autocannon with 10 connections. Each route runs for MLGOV_BENCH_SECONDS; p50/p95/p99 come from
 * every response's latency. GET /health runs first as the floor of the HTTP stack in the same run.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/httpLoad.ts             # SQLite file
 *   MLGOV_BENCH_PG=postgresql://postgres:postgres@127.0.0.1:5432 node --require … bench/httpLoad.ts
 *   MLGOV_BENCH_REPLICAS=3 MLGOV_BENCH_PG=… node --require … bench/httpLoad.ts           # 3 processes
 *
 * The servers run in child processes (bench/httpLoadReplica.ts) so the load generator never shares
 * their event loop; with several replicas the connections are spread over them (one PostgreSQL).
 * CPU per request is the servers' own CPU time over the route (`/__bench/cpu`) divided by the
 * requests answered: on a loaded machine it moves far less than latency does.
 *
 *   MLGOV_BENCH_BASELINE=<git rev>   the same routes against that commit's backend sources too, one
 *                                    after the other per route, on the same seeded database (same run)
 *   MLGOV_BENCH_ROUNDS=2             repeat every (route, variant) pair, alternating
 *   MLGOV_BENCH_ROUTES=<regex>       only the routes whose label matches
 *   MLGOV_BENCH_CPU_PROF=<dir>       write a V8 CPU profile of every server process into <dir>
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DatabaseMlGovernanceStore } from '../src/database/DatabaseMlGovernanceStore';
import { PolicyRegistry } from '../src/policy/PolicyRegistry';
import { DecisionService } from '../src/service/DecisionService';
import { benchDatabase, formatMs, percentile } from './benchUtils';
import {
  BIG_ENTITY,
  BIG_FINDINGS,
  ENTITIES,
  seed,
  TEAMS,
} from './benchBackend';

const CONNECTIONS = Number(process.env.MLGOV_BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.MLGOV_BENCH_SECONDS ?? 10);
const REPLICAS = Number(process.env.MLGOV_BENCH_REPLICAS ?? 1);
const ROUNDS = Number(process.env.MLGOV_BENCH_ROUNDS ?? 1);
const ROUTES = new RegExp(process.env.MLGOV_BENCH_ROUTES ?? '.');
const BASELINE = process.env.MLGOV_BENCH_BASELINE;
const CPU_PROF = process.env.MLGOV_BENCH_CPU_PROF;
const API = '/api/ml-governance';
const PACKAGE_DIR = join(__dirname, '..');

/**
 * The backend sources of an earlier commit, next to this package's (so they resolve the same
 * node_modules), with this checkout's replica script: `<dir>/bench/httpLoadReplica.ts`.
 */
function checkOutBaseline(rev: string): string {
  const dir = join(PACKAGE_DIR, `.bench-baseline-${process.pid}`);
  mkdirSync(dir);
  const root = execFileSync('git', ['rev-parse', '--show-toplevel'], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
  }).trim();
  const prefix = 'plugins/ml-governance-backend/';
  const archive = execFileSync(
    'git',
    ['archive', rev, `${prefix}src`, `${prefix}bench`],
    { cwd: root, maxBuffer: 256 * 1024 * 1024 },
  );
  execFileSync('tar', ['-x', '-C', dir, `--strip-components=2`], {
    input: archive,
  });
  copyFileSync(
    join(__dirname, 'httpLoadReplica.ts'),
    join(dir, 'bench', 'httpLoadReplica.ts'),
  );
  return dir;
}

function startReplica(
  config: unknown,
  script: string,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []),
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      script,
    ],
    {
      env: { ...process.env, MLGOV_BENCH_DB: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', code => reject(new Error(`replica exited ${code}`)));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (text: string) => {
      const match = /LISTENING (\d+)/.exec(text);
      if (match) resolve({ child, port: Number(match[1]) });
    });
  });
}

interface RouteResult {
  label: string;
  requests: number;
  errors: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  /** Server CPU (user + system) per answered request, all replicas together. */
  cpuMsPerRequest: number;
}

/** CPU time (user + system) the servers have used so far, in ms. */
async function serverCpuMs(ports: number[]): Promise<number> {
  let total = 0;
  for (const port of ports) {
    const res = await fetch(`http://127.0.0.1:${port}/__bench/cpu`);
    const { user, system } = (await res.json()) as {
      user: number;
      system: number;
    };
    total += (user + system) / 1000;
  }
  return total;
}

/** One route under load on every replica at once (connections spread over them). */
async function load(
  ports: number[],
  label: string,
  nextPath: () => string,
): Promise<RouteResult> {
  const latencies: number[] = [];
  let errors = 0;
  const cpuBefore = await serverCpuMs(ports);
  const started = performance.now();
  await Promise.all(
    ports.map((port, i) => {
      const connections =
        Math.floor(CONNECTIONS / ports.length) +
        (i < CONNECTIONS % ports.length ? 1 : 0);
      return new Promise<void>((resolve, reject) => {
        const instance = autocannon(
          {
            url: `http://127.0.0.1:${port}`,
            connections,
            duration: SECONDS,
            requests: [
              {
                setupRequest: request => ({
                  ...request,
                  path: `${API}${nextPath()}`,
                }),
              },
            ],
          },
          error => (error ? reject(error) : resolve()),
        );
        instance.on(
          'response',
          (
            _client: unknown,
            statusCode: number,
            _bytes: number,
            responseTime: number,
          ) => {
            if (statusCode !== 200) errors++;
            latencies.push(responseTime);
          },
        );
      });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = (await serverCpuMs(ports)) - cpuBefore;
  latencies.sort((a, b) => a - b);
  return {
    label,
    requests: latencies.length,
    errors,
    reqPerSec: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    cpuMsPerRequest: cpuMs / Math.max(1, latencies.length),
  };
}

/** The cursor of the findings page that starts at `offset` (walked once, 500 at a time). */
async function cursorAt(port: number, entityPath: string, offset: number) {
  let cursor: string | undefined;
  for (let at = 0; at < offset; at += 500) {
    const limit = Math.min(500, offset - at);
    const res = await fetch(
      `http://127.0.0.1:${port}${API}/entities/${entityPath}/findings?limit=${limit}${
        cursor ? `&cursor=${cursor}` : ''
      }`,
    );
    cursor = ((await res.json()) as { nextCursor?: string }).nextCursor;
  }
  return cursor!;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mlgov-http-'));
  const db = await benchDatabase({ sqliteFile: join(dir, 'bench.sqlite') });
  if (REPLICAS > 1 && !db.engine.startsWith('PostgreSQL'))
    throw new Error(
      'several replicas share one PostgreSQL: set MLGOV_BENCH_PG',
    );
  const replicas: ChildProcess[] = [];
  let baselineDir: string | undefined;
  try {
    const store = await DatabaseMlGovernanceStore.create({
      database: db.database,
    });
    const decisions = new DecisionService(
      store,
      new PolicyRegistry({}),
      () => new Date(),
    );
    let start = performance.now();
    await seed(store, decisions);
    // What autovacuum does to a live database after a bulk load (statistics, the visibility map
    // index-only scans rely on), done now rather than at a random moment of a measured route.
    if (db.engine.startsWith('PostgreSQL'))
      await db.knex.raw('VACUUM (ANALYZE)');
    const [{ count }] = await db.knex('mlgov_findings').count({ count: '*' });
    console.log(
      `${db.engine}: seeded ${count} findings on ${
        ENTITIES + (BIG_FINDINGS ? 1 : 0)
      } entities in ${formatMs(performance.now() - start)}`,
    );
    const variants: { label: string; script: string }[] = [
      { label: 'this checkout', script: join(__dirname, 'httpLoadReplica.ts') },
    ];
    if (BASELINE) {
      baselineDir = checkOutBaseline(BASELINE);
      variants.unshift({
        label: `baseline ${BASELINE}`,
        script: join(baselineDir, 'bench', 'httpLoadReplica.ts'),
      });
    }
    const portsOf = new Map<string, number[]>();
    for (const variant of variants) {
      const started = await Promise.all(
        Array.from({ length: REPLICAS }, () =>
          startReplica(db.config, variant.script),
        ),
      );
      replicas.push(...started.map(r => r.child));
      portsOf.set(
        variant.label,
        started.map(r => r.port),
      );
    }
    const ports = portsOf.get('this checkout')!;

    let n = 0;
    const entity = () => `resource/default/model-${(n++ * 7919) % ENTITIES}`;
    const team = () => `default/team-${n++ % TEAMS}`;
    const routes: [string, () => string][] = [
      ['GET /health (HTTP floor)', () => '/health'],
      ['entity summary', () => `/entities/${entity()}/summary`],
      [
        'findings, first page of 50',
        () => `/entities/${entity()}/findings?limit=50`,
      ],
      [
        'findings, open critical/high, 2nd page',
        () =>
          `/entities/${entity()}/findings?status=open&severity=critical,high&limit=10&offset=10`,
      ],
      ['gate (live policy evaluation)', () => `/gate/${entity()}`],
      ['team summary (50 entities)', () => `/teams/${team()}?trendDays=30`],
      ['all teams', () => '/teams'],
    ];
    if (BIG_FINDINGS > 0) {
      const big = BIG_ENTITY.replace(':', '/');
      const deep = BIG_FINDINGS - 100;
      const cursor = await cursorAt(ports[0], big, deep);
      routes.push(
        [
          `findings of ${BIG_FINDINGS}, page at offset ${deep}`,
          () => `/entities/${big}/findings?limit=50&offset=${deep}`,
        ],
        [
          `findings of ${BIG_FINDINGS}, same page by cursor`,
          () => `/entities/${big}/findings?limit=50&cursor=${cursor}`,
        ],
      );
    }
    console.log(
      `${db.engine}: ${REPLICAS} replica(s), ${CONNECTIONS} connections, ${SECONDS} s per route`,
    );
    console.log(
      `load average ${loadavg()
        .map(l => l.toFixed(1))
        .join(' ')}; variants: ${variants.map(v => v.label).join(', ')}`,
    );
    console.log(
      '| route | variant | req/s | p50 | p95 | p99 | CPU/request | requests | non-200 |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    start = performance.now();
    for (const [label, path] of routes.filter(([l]) => ROUTES.test(l))) {
      for (let round = 0; round < ROUNDS; round++) {
        for (const variant of variants) {
          const r = await load(portsOf.get(variant.label)!, label, path);
          console.log(
            `| ${r.label} | ${variant.label} | ${Math.round(
              r.reqPerSec,
            )} | ${formatMs(r.p50)} | ${formatMs(r.p95)} | ${formatMs(
              r.p99,
            )} | ${r.cpuMsPerRequest.toFixed(2)} ms | ${r.requests} | ${
              r.errors
            } |`,
          );
        }
      }
    }
    console.log(`measured in ${formatMs(performance.now() - start)}`);
  } finally {
    for (const child of replicas) child.kill('SIGTERM');
    await new Promise(resolve => setTimeout(resolve, 500));
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    if (baselineDir) rmSync(baselineDir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
