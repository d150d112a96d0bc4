/*
 * API latency (p50/p95) of the entity summary, findings and team aggregate endpoints with 100,000
 * findings (1,000 entities × 100 findings, 20 owner teams, 30 days of decision history), over HTTP
 * through the real router and store.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/apiLatency.ts
 *   MLGOV_BENCH_PG=postgresql://postgres:postgres@127.0.0.1:5432 node --require … bench/apiLatency.ts
 */
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import type { Severity } from '@ml-governance/plugin-ml-governance-common';
import { DatabaseMlGovernanceStore } from '../src/database/DatabaseMlGovernanceStore';
import type {
  EntityRecord,
  ScannedFinding,
} from '../src/database/MlGovernanceStore';
import { PolicyRegistry } from '../src/policy/PolicyRegistry';
import { StaleImportReportService } from '../src/reports/StaleImportReportService';
import { AcceptanceService } from '../src/service/AcceptanceService';
import { DecisionService } from '../src/service/DecisionService';
import { silentNotifier as quiet } from '../src/__testUtils__/silentNotifier';
import { createRouter } from '../src/service/router';
import { ScanService } from '../src/service/ScanService';
import { SummaryService } from '../src/service/SummaryService';
import { benchDatabase, benchLogger, formatMs, percentile } from './benchUtils';

const ENTITIES = Number(process.env.MLGOV_BENCH_ENTITIES ?? 1000);
const FINDINGS_PER_ENTITY = 100;
const TEAMS = 20;
const HISTORY_DAYS = 30;
const SAMPLES = Number(process.env.MLGOV_BENCH_SAMPLES ?? 300);
const RULES = [
  'PICKLE-EXEC',
  'PICKLE-IMPORT',
  'DEP-VULNERABLE',
  'SOURCE-UNSAFE-LOAD',
  'SOURCE-STALE-DEPENDENCY',
  'LICENCE-DENIED',
  'SCAN-LIMIT',
  'ARCHIVE-PATH-TRAVERSAL',
];
const SEVERITY_MIX: Severity[] = [
  'critical',
  'high',
  'high',
  'medium',
  'medium',
  'medium',
  'low',
  'low',
  'info',
  'info',
];

function finding(entity: number, index: number): ScannedFinding {
  const ruleId = RULES[(entity + index) % RULES.length];
  const path = `models/part-${index % 7}/model-${index}.pkl`;
  return {
    fingerprint: `${entity.toString(16).padStart(8, '0')}${index
      .toString(16)
      .padStart(24, '0')}`,
    target: 'file:/bench',
    ruleId,
    title: `${ruleId} title`,
    severity: SEVERITY_MIX[(entity * 7 + index) % SEVERITY_MIX.length],
    cwe: ['CWE-502'],
    owaspLlm: ['LLM03:2025'],
    message: `REDUCE calls ${
      index % 3 ? 'builtins.eval' : 'os.system'
    } in ${path}`,
    location: { path, entry: ['archive/data.pkl'], offset: index * 13 },
    evidence: {
      opcode: 'REDUCE',
      symbol: index % 3 ? 'builtins.eval' : 'os.system',
      package: `pkg-${index % 11}`,
    },
    fix: 'Re-export the weights as safetensors.',
    retest: `mlgov scan ${path}`,
    docsUrl: `https://example.test/rules#${ruleId.toLowerCase()}`,
  };
}

async function seed(
  store: DatabaseMlGovernanceStore,
  decisions: DecisionService,
) {
  const records: EntityRecord[] = Array.from({ length: ENTITIES }, (_, i) => ({
    entityRef: `resource:default/model-${i}`,
    kind: 'resource',
    owner: `group:default/team-${i % TEAMS}`,
    targets: ['file:/bench'],
    pinnedHashes: {},
  }));
  const now = new Date();
  await store.upsertEntities(records, now.toISOString());
  for (let i = 0; i < ENTITIES; i++) {
    const firstSeen = new Date(
      now.getTime() - ((i * 37) % 200) * 86_400_000,
    ).toISOString();
    await store.applyScanFindings({
      entity: records[i],
      scannedTargets: ['file:/bench'],
      findings: Array.from({ length: FINDINGS_PER_ENTITY }, (_, j) =>
        finding(i, j),
      ),
      now: firstSeen,
    });
    await store.releaseClaim(records[i].entityRef, 'none', {});
  }
  // Mark every entity scanned, then compute decisions and counts the way a scan round does.
  await (store as any)
    .db('mlgov_entities')
    .update({ last_scanned_at: now.toISOString() });
  for (const record of records) await decisions.recompute(record.entityRef);
  const entities = await store.listEntities();
  for (let day = 1; day <= HISTORY_DAYS; day++) {
    const date = new Date(now.getTime() - day * 86_400_000)
      .toISOString()
      .slice(0, 10);
    await store.recordDailyDecision(
      entities.map(e => ({
        entityRef: e.entityRef,
        owner: e.owner,
        day: date,
        decision: e.decision === 'UNKNOWN' ? null : e.decision,
        counts: e.counts,
      })),
    );
  }
}

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

  const allow = async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  const router = await createRouter({
    auth: mockServices.auth(),
    httpAuth: {
      credentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/bench' },
      }),
      issueUserCookie: async () => ({ expiresAt: new Date() }),
    } as any,
    userInfo: {
      getUserInfo: async () => ({
        userEntityRef: 'user:default/bench',
        ownershipEntityRefs: [],
      }),
    },
    permissions: { authorize: allow, authorizeConditional: allow } as any,
    permissionsRegistry: {
      getPermissionRuleset: () => ({ getRuleByName: () => undefined }),
    } as any,
    auditor: {
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    },
    store,
    summaries: new SummaryService(store, decisions, clock),
    scans: new ScanService({
      store,
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      logger: benchLogger,
      scanner: {
        scanPath: async () => {
          throw new Error('not scanning in the API benchmark');
        },
      },
      resolvers: [],
      policies,
      decisions,
      notifier: quiet,
      clock,
      concurrency: 1,
      leaseMs: 30_000,
    }),
    acceptances: new AcceptanceService({
      store,
      decisions,
      notifier: quiet,
      clock,
      approvers: [],
      maxDays: 180,
      reminderDays: 14,
    }),
    reports: new StaleImportReportService({
      store,
      notifier: quiet,
      clock,
      staleDependencyRules: ['SOURCE-STALE-DEPENDENCY'],
      undeclaredImportRules: [],
      quarterDays: 90,
    }),
  });
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
