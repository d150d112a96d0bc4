/*
 * Scan throughput of 1 and of 3 replicas (processes) sharing one PostgreSQL: N entities due, every
 * replica started at once, wall time until all are scanned. Then checks what the claims promise: each
 * entity scanned by exactly one replica in exactly one succeeded run, and notified exactly once.
 *
 *   MLGOV_BENCH_PG=postgresql://postgres:postgres@127.0.0.1:5432 \
 *     node --require @backstage/cli/config/nodeTransform.cjs bench/scanReplicas.ts [entities] [replicas…]
 *
 * MLGOV_BENCH_SCAN_MS (default 20) is the resolver wait per entity, MLGOV_BENCH_CONCURRENCY (4) the
 * scans in flight per replica.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseMlGovernanceStore } from '../src/database/DatabaseMlGovernanceStore';
import { entityRecord } from '../src/__testUtils__/testData';
import { benchDatabase, formatMs } from './benchUtils';

function startWorker(config: unknown) {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      join(__dirname, 'scanReplicaWorker.ts'),
    ],
    {
      env: { ...process.env, MLGOV_BENCH_DB: JSON.stringify(config) },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let buffer = '';
  const lines: ((line: string) => void)[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (text: string) => {
    buffer += text;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      for (const listener of lines) listener(line);
      newline = buffer.indexOf('\n');
    }
  });
  const waitFor = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      child.once('exit', code => reject(new Error(`worker exited ${code}`)));
      lines.push(line => {
        if (line.startsWith(prefix)) resolve(line.slice(prefix.length));
      });
    });
  return { child, waitFor };
}

async function round(entities: number, replicas: number) {
  const db = await benchDatabase();
  const children: ChildProcess[] = [];
  try {
    const store = await DatabaseMlGovernanceStore.create({
      database: db.database,
    });
    const records = Array.from({ length: entities }, (_, i) =>
      entityRecord(`model-${i}`, { owner: `group:default/team-${i % 20}` }),
    );
    await store.upsertEntities(records, new Date().toISOString());
    await store.requestScan(new Date().toISOString());
    const workers = Array.from({ length: replicas }, () =>
      startWorker(db.config),
    );
    children.push(...workers.map(w => w.child));
    await Promise.all(workers.map(w => w.waitFor('READY')));
    const done = workers.map(w => w.waitFor('DONE '));
    const start = performance.now();
    for (const w of workers) w.child.stdin!.write('go\n');
    const results = (await Promise.all(done)).map(
      line => JSON.parse(line) as { scanned: string[]; notified: string[] },
    );
    const ms = performance.now() - start;

    const scanned = results.flatMap(r => r.scanned);
    const notified = results.flatMap(r => r.notified);
    const runs: any[] = await db
      .knex('mlgov_scan_runs')
      .select('entity_ref', 'status')
      .count({ n: '*' })
      .groupBy('entity_ref', 'status');
    const succeededOnce = runs.filter(
      r => r.status === 'succeeded' && Number(r.n) === 1,
    ).length;
    const problems = [
      scanned.length !== entities &&
        `scanned ${scanned.length} times for ${entities} entities`,
      new Set(scanned).size !== entities &&
        'an entity was scanned twice or never',
      succeededOnce !== entities &&
        `${succeededOnce} entities with exactly one succeeded run`,
      runs.some(r => r.status !== 'succeeded') && 'runs other than succeeded',
      (notified.length !== entities || new Set(notified).size !== entities) &&
        `${notified.length} notifications for ${entities} entities`,
    ].filter(Boolean);
    const share = results.map(r => r.scanned.length).join(' / ');
    console.log(
      `| ${entities} | ${replicas} | ${formatMs(ms)} | ${Math.round(
        (entities / ms) * 1000,
      )} | ${share} | ${
        problems.length
          ? problems.join('; ')
          : 'one scan, one run, one notification per entity'
      } |`,
    );
    if (problems.length) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await db.close();
  }
}

async function main() {
  if (!process.env.MLGOV_BENCH_PG)
    throw new Error('replicas share one PostgreSQL: set MLGOV_BENCH_PG');
  const entities = Number(process.argv[2] ?? 1000);
  const replicaCounts = process.argv.slice(3).map(Number);
  console.log(
    '| entities | replicas | wall time | entities/s | scanned per replica | check |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const replicas of replicaCounts.length ? replicaCounts : [1, 3])
    await round(entities, replicas);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
