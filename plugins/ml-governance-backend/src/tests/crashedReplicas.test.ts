import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { DatabaseMlGovernanceStore } from '../database/DatabaseMlGovernanceStore';
import { entityRecord } from '../__testUtils__/testData';

jest.setTimeout(120_000);

const LEASE_MS = 3000;
/**
 * Time allowed beyond one lease for the survivor to notice (it looks every quarter lease) and scan
 * the dead replica's entities, on a loaded machine while another child starts. Before leases, the
 * wait was the schedule timeout (10 minutes and more).
 */
const SLACK_MS = 4000;
const ENTITY_COUNT = 30;
const CHILD = join(__dirname, '..', '__testUtils__', 'scanReplicaChild.ts');

interface Child {
  process: ChildProcess;
  /** Resolves when the child has printed this line. */
  line(text: string): Promise<void>;
  go(): void;
  kill(): Promise<void>;
}

function startChild(connection: unknown, worker: string, mode: string): Child {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      CHILD,
    ],
    {
      env: {
        ...process.env,
        MLGOV_CHILD_DB: JSON.stringify(connection),
        MLGOV_CHILD_WORKER: worker,
        MLGOV_CHILD_MODE: mode,
        MLGOV_CHILD_LEASE_MS: String(LEASE_MS),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', chunk => {
    output += chunk;
    for (const waiter of [...waiters]) {
      if (output.split('\n').includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  child
    .stderr!.setEncoding('utf8')
    .on(
      'data',
      chunk => process.env.MLGOV_CHILD_DEBUG && process.stderr.write(chunk),
    );
  return {
    process: child,
    line: text =>
      new Promise((resolve, reject) => {
        if (output.split('\n').includes(text)) {
          resolve();
        } else {
          waiters.push({ text, resolve });
          child.once('exit', code =>
            reject(
              new Error(`${worker} exited (${code}) before printing ${text}`),
            ),
          );
        }
      }),
    go: () => child.stdin!.write('go\n'),
    kill: () =>
      new Promise(resolve => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
        } else {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }
      }),
  };
}

/** Every entity scanned since `since`, no claim held, no run still running. */
async function allDone(knex: Knex, since: string): Promise<boolean> {
  const [pending] = await knex('mlgov_entities')
    .where(inner =>
      inner
        .whereNotNull('claimed_by')
        .orWhereNull('last_scanned_at')
        .orWhere('last_scanned_at', '<', since),
    )
    .count({ n: '*' });
  const [running] = await knex('mlgov_scan_runs')
    .whereIn('status', ['running', 'queued'])
    .count({ n: '*' });
  return Number(pending.n) === 0 && Number(running.n) === 0;
}

async function waitUntilDone(
  knex: Knex,
  since: string,
  deadlineMs: number,
  phase: string,
): Promise<number> {
  const start = Date.now();
  while (!(await allDone(knex, since))) {
    if (Date.now() - start > deadlineMs)
      throw new Error(
        `${phase}: not every entity was scanned within ${deadlineMs} ms`,
      );
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  return Date.now() - start;
}

describe('replicas killed while claiming and while writing', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  const children: Child[] = [];

  afterAll(async () => {
    await Promise.all(children.map(child => child.kill()));
  });

  it.each(databases.eachSupportedId())(
    'lose nothing and block nothing beyond one lease on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const setup = await DatabaseMlGovernanceStore.create({
        database: mockServices.database({ knex }),
      });
      const refs = Array.from(
        { length: ENTITY_COUNT },
        (_, i) => `resource:default/model-${i}`,
      );
      await setup.upsertEntities(
        refs.map((_, i) => entityRecord(`model-${i}`)),
        new Date().toISOString(),
      );

      // The test database's connection (its password is not enumerable, so it is copied by name).
      const settings = knex.client.config.connection as Record<string, unknown>;
      const connection = { ...settings, password: settings.password };
      const start = (worker: string, mode: string) => {
        const child = startChild(connection, worker, mode);
        children.push(child);
        return child;
      };
      const crashClaim = start('crash-claim', 'crash-claim');
      const crashWrite = start('crash-write', 'crash-write');
      const survivor = start('survivor', 'survivor');
      await Promise.all([
        crashClaim.line('READY'),
        crashWrite.line('READY'),
        survivor.line('READY'),
      ]);

      // 1. Killed while holding claims (after the claim committed, before any scan).
      const round1 = new Date().toISOString();
      await setup.requestScan(round1);
      crashClaim.go();
      await crashClaim.line('CLAIMED');
      const held = await knex('mlgov_entities')
        .where('claimed_by', 'crash-claim')
        .count({ n: '*' });
      expect(Number(held[0].n)).toBeGreaterThan(0);
      await crashClaim.kill();
      survivor.go();
      const phase1Ms = await waitUntilDone(
        knex,
        round1,
        LEASE_MS + SLACK_MS + 10_000,
        'after the kill while claiming',
      );
      expect(phase1Ms).toBeLessThanOrEqual(LEASE_MS + SLACK_MS);
      const abandoned = await knex('mlgov_scan_runs')
        .where({ worker: 'crash-claim' })
        .select('status', 'error');
      expect(abandoned.length).toBeGreaterThan(0);
      for (const run of abandoned)
        expect(run).toEqual({
          status: 'failed',
          error: expect.stringMatching(/^abandoned/),
        });

      const firstSeen = new Map(
        (
          await knex('mlgov_findings').select('entity_ref', 'first_seen_at')
        ).map(row => [row.entity_ref, row.first_seen_at]),
      );
      expect([...firstSeen.keys()].sort()).toEqual([...refs].sort());

      // 2. Killed inside the commit transaction (its writes done, COMMIT not reached), then restarted.
      await new Promise(resolve => setTimeout(resolve, 5));
      const round2 = new Date().toISOString();
      await setup.requestScan(round2);
      crashWrite.go();
      await crashWrite.line('WRITING');
      await crashWrite.kill();
      const restarted = start('restarted', 'restarted');
      const phase2Ms = await waitUntilDone(
        knex,
        round2,
        LEASE_MS + SLACK_MS + 10_000,
        'after the kill while writing',
      );
      expect(phase2Ms).toBeLessThanOrEqual(LEASE_MS + SLACK_MS);
      await restarted.line('READY');

      // Nothing lost, nothing duplicated: one finding per entity, still the one first seen in round 1.
      const findings = await knex('mlgov_findings').select(
        'entity_ref',
        'fingerprint',
        'status',
        'first_seen_at',
        'last_seen_at',
      );
      expect(findings).toHaveLength(ENTITY_COUNT);
      for (const finding of findings) {
        expect(finding.status).toBe('open');
        expect(finding.first_seen_at).toBe(firstSeen.get(finding.entity_ref));
        expect(finding.last_seen_at >= round2).toBe(true);
      }
      // Every entity BLOCKs, from a committed scan whose run succeeded; the dead writers' runs are
      // marked, none is left running.
      const entities = await setup.listEntities();
      expect(entities.map(e => e.decision)).toEqual(refs.map(() => 'BLOCK'));
      for (const entity of entities) {
        expect((await setup.getScanRun(entity.lastScanId!))?.status).toBe(
          'succeeded',
        );
      }
      expect(
        await knex('mlgov_scan_runs')
          .whereIn('status', ['running', 'queued'])
          .select('id', 'worker'),
      ).toEqual([]);
      const crashWriteRuns = await knex('mlgov_scan_runs')
        .where({ worker: 'crash-write' })
        .select('status', 'error');
      expect(crashWriteRuns.length).toBeGreaterThan(0);
      for (const run of crashWriteRuns)
        expect(run).toEqual({
          status: 'failed',
          error: expect.stringMatching(/^abandoned/),
        });
    },
  );
});
