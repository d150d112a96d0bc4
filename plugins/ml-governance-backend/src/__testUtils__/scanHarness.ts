import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Knex } from 'knex';
import type { ScanResult } from '@ml-governance/scanner';
import type { TargetResolver } from '@ml-governance/plugin-ml-governance-node';
import { DatabaseMlGovernanceStore } from '../database/DatabaseMlGovernanceStore';
import type {
  MlGovernanceStore,
  ScannedFinding,
} from '../database/MlGovernanceStore';
import { PolicyRegistry } from '../policy/PolicyRegistry';
import type { ArtifactScanner } from '../scanning/ArtifactScanner';
import { DecisionService } from '../service/DecisionService';
import { ScanService } from '../service/ScanService';
import { SummaryService } from '../service/SummaryService';
import type { MlGovernanceNotifier } from '../service/Notifier';
import { silentNotifier } from './silentNotifier';

/** A scanner that reports what `findingsFor(entityRef)` says, without reading anything. */
export function scriptedScanner(
  findingsFor: (path: string) => Omit<ScannedFinding, 'target'>[],
): ArtifactScanner {
  return {
    scanPath: async path => {
      const result: ScanResult = {
        tool: { name: 'mlgov', version: 'test' },
        target: path,
        startedAt: new Date().toISOString(),
        durationMs: 0,
        files: [],
        findings: findingsFor(path) as unknown as ScanResult['findings'],
        components: [],
      };
      return result;
    },
  };
}

/**
 * Resolves every target to the entity ref as its "path" (so a scripted scanner knows which entity it
 * scans), with a new digest each time unless `digest` says otherwise.
 */
export function entityRefResolver(
  options: {
    digest?: (entityRef: string) => string;
    onResolve?: (entityRef: string) => Promise<void>;
  } = {},
): TargetResolver {
  let counter = 0;
  return {
    id: 'entity-ref',
    supports: () => true,
    resolve: async (_target, { entityRef, previousDigest }) => {
      await options.onResolve?.(entityRef);
      const digest =
        options.digest?.(entityRef) ?? `d-${Date.now()}-${counter++}`;
      if (digest === previousDigest) return { unchanged: true, digest };
      return {
        unchanged: false,
        digest,
        path: entityRef,
        cleanup: async () => {},
      };
    },
  };
}

export interface ScanHarness {
  store: MlGovernanceStore;
  scans: ScanService;
  decisions: DecisionService;
  summaries: SummaryService;
}

const quietLogger: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quietLogger,
};

/** Catalog sync is not part of these scans: any use of the catalog or auth is a test bug. */
const notUsed = new Proxy(
  {},
  {
    get: (_target, name) => () => {
      throw new Error(`scan harness: ${String(name)} is not available`);
    },
  },
);

/**
 * The plugin's scan pipeline (real store, decisions and policies) over a given database. It imports
 * nothing from backend-test-utils, so child processes of the crash test start quickly.
 */
export async function createScanHarness(options: {
  knex: Knex;
  scanner: ArtifactScanner;
  resolvers: TargetResolver[];
  policies?: Record<string, unknown>;
  leaseMs?: number;
  concurrency?: number;
  workerId?: string;
  migrate?: boolean;
  logger?: LoggerService;
  /** Default: one that sends nothing. */
  notifier?: MlGovernanceNotifier;
}): Promise<ScanHarness> {
  const store = await DatabaseMlGovernanceStore.create({
    database: {
      getClient: async () => options.knex,
      migrations: { skip: !(options.migrate ?? true) },
    },
  });
  const policies = new PolicyRegistry(options.policies ?? {});
  const clock = () => new Date();
  const decisions = new DecisionService(store, policies, clock);
  const scans = new ScanService({
    store,
    catalog: notUsed as CatalogService,
    auth: notUsed as AuthService,
    logger: options.logger ?? quietLogger,
    scanner: options.scanner,
    resolvers: options.resolvers,
    policies,
    decisions,
    notifier: options.notifier ?? silentNotifier,
    clock,
    concurrency: options.concurrency ?? 2,
    leaseMs: options.leaseMs ?? 30_000,
    workerId: options.workerId,
  });
  return {
    store,
    scans,
    decisions,
    summaries: new SummaryService(store, decisions, clock),
  };
}
