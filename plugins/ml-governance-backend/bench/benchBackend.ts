/*
 * What the API benchmarks share: a seeded database (100,000 findings by default) and the real router,
 * services and store over it, with every permission allowed (authorization is not what is measured).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type express from 'express';
import type { Severity } from '@ml-governance/plugin-ml-governance-common';
import type {
  EntityRecord,
  MlGovernanceStore,
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
import { benchLogger } from './benchUtils';

export const ENTITIES = Number(process.env.MLGOV_BENCH_ENTITIES ?? 1000);
const FINDINGS_PER_ENTITY = 100;
export const TEAMS = 20;
/** Findings of one extra entity (`big-model`, team-0), for deep pages; 0 = no such entity. */
export const BIG_FINDINGS = Number(process.env.MLGOV_BENCH_BIG ?? 0);
export const BIG_ENTITY = 'resource:default/big-model';
const HISTORY_DAYS = 30;
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

/** 100 findings on each of ENTITIES entities of TEAMS teams, decided, with HISTORY_DAYS of history. */
export async function seed(
  store: MlGovernanceStore,
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
  if (BIG_FINDINGS > 0) {
    const big: EntityRecord = {
      entityRef: BIG_ENTITY,
      kind: 'resource',
      owner: 'group:default/team-0',
      targets: ['file:/bench'],
      pinnedHashes: {},
    };
    records.push(big);
    await store.upsertEntities([big], now.toISOString());
    const all = Array.from({ length: BIG_FINDINGS }, (_, j) =>
      finding(ENTITIES, j),
    );
    // A thousand at a time, a day apart: first-seen times vary as they would over a model's life.
    for (let j = 0; j < all.length; j += 1000) {
      await store.applyScanFindings({
        entity: big,
        scannedTargets: [],
        findings: all.slice(j, j + 1000),
        now: new Date(
          now.getTime() - (400 - j / 1000) * 86_400_000,
        ).toISOString(),
      });
    }
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

/** The plugin's router over `store`, as the backend mounts it, with a user allowed everything. */
export async function createBenchRouter(
  store: MlGovernanceStore,
): Promise<express.Router> {
  const policies = new PolicyRegistry({});
  const clock = () => new Date();
  const decisions = new DecisionService(store, policies, clock);
  const allow = async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  return createRouter({
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
}
