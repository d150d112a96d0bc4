import { randomUUID } from 'node:crypto';
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS, type EntityFilterQuery } from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { NotFoundError } from '@backstage/errors';
import { fingerprintOf, getRule } from '@ml-governance/scanner';
import {
  ANNOTATION_ARTIFACTS,
  ANNOTATION_POLICY,
  ANNOTATION_SHA256,
  ANNOTATION_SOURCE,
  ML_ENTITY_FILTER,
  type ScanRun,
  type ScanTargetResult,
  type ScanTrigger,
} from '@ml-governance/plugin-ml-governance-common';
import type { TargetResolver } from '@ml-governance/plugin-ml-governance-node';
import type { EntityRecord, EntityState, MlGovernanceStore, ScannedFinding } from '../database/MlGovernanceStore';
import type { ArtifactScanner } from '../scanning/ArtifactScanner';
import { entityTargets } from '../scanning/entityTargets';
import { scanOptionsFromPolicy, type PolicyRegistry } from '../policy/PolicyRegistry';
import type { DecisionService } from './DecisionService';
import type { MlGovernanceNotifier } from './Notifier';
import type { Clock } from './clock';

const CATALOG_PAGE_SIZE = 200;

export interface ScanServiceOptions {
  store: MlGovernanceStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  scanner: ArtifactScanner;
  resolvers: TargetResolver[];
  policies: PolicyRegistry;
  decisions: DecisionService;
  notifier: MlGovernanceNotifier;
  clock: Clock;
  concurrency: number;
  claimTimeoutMs: number;
  /** Identifies this replica in claims. */
  workerId?: string;
}

/** The SCAN-ERROR finding recorded when a whole target cannot be read. */
export function unreadableTargetFinding(target: string, error: unknown): ScannedFinding {
  const rule = getRule('SCAN-ERROR');
  const message = `Target could not be read: ${error instanceof Error ? error.message : String(error)}`;
  return {
    fingerprint: fingerprintOf({ ruleId: rule.id, location: { path: target }, key: 'target-unreadable' }),
    target,
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    cwe: rule.cwe,
    owaspLlm: rule.owaspLlm,
    message: message.slice(0, 1000),
    location: { path: target },
    evidence: { target },
    fix: 'Check that the target exists, is reachable through a configured integration (url:) or lies under an allowed root (file:), then rescan.',
    retest: 'Rescan the entity from its ML Governance tab',
    docsUrl: '',
  };
}

function parsePinnedHashes(value: string | undefined): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const [path, hex] = pair.split('=').map(part => part?.trim());
    if (path && hex) hashes[path] = hex.toLowerCase();
  }
  return hashes;
}

/** Runs `tasks` with at most `limit` at a time. */
async function inBatches<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  });
  await Promise.all(workers);
}

/**
 * Syncs ML entities from the catalog, and scans them. Work is shared through database claims: every
 * replica may run `runScanRound`, and each due entity is claimed by exactly one of them at a time.
 */
export class ScanService {
  private readonly workerId: string;

  constructor(private readonly options: ScanServiceOptions) {
    this.workerId = options.workerId ?? `mlgov-${randomUUID()}`;
  }

  /** Reads every ML entity from the catalog (cursor pages) into the store; returns how many. */
  async syncCatalog(): Promise<number> {
    const { catalog, auth, store, clock } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const syncedAt = clock().toISOString();
    const filter: EntityFilterQuery = [
      ...ML_ENTITY_FILTER,
      { [`metadata.annotations.${ANNOTATION_ARTIFACTS}`]: CATALOG_FILTER_EXISTS },
      { [`metadata.annotations.${ANNOTATION_SOURCE}`]: CATALOG_FILTER_EXISTS },
    ];
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await catalog.queryEntities(
        cursor ? { cursor, limit: CATALOG_PAGE_SIZE } : { filter, limit: CATALOG_PAGE_SIZE },
        { credentials },
      );
      const records = page.items.map(toEntityRecord);
      await store.upsertEntities(records, syncedAt);
      count += records.length;
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    const removed = await store.removeEntitiesNotSyncedSince(syncedAt);
    if (removed > 0) this.options.logger.info(`Forgot ${removed} entities no longer in the catalog`);
    return count;
  }

  /** Marks every entity due (the scheduled sweep); unchanged targets are skipped during the scan. */
  async requestFullScan(): Promise<void> {
    await this.options.store.requestScan(this.options.clock().toISOString());
  }

  /** Queues a manual scan and starts a round on this replica in the background. */
  async requestScan(entityRef: string, requestedBy: string): Promise<ScanRun> {
    const { store, clock, logger } = this.options;
    const entity = await store.getEntity(entityRef);
    if (!entity) throw new NotFoundError(`${entityRef} is not an ML Governance entity`);
    const run: ScanRun = {
      id: randomUUID(),
      entityRef,
      trigger: 'manual',
      status: 'queued',
      requestedBy,
      targets: [],
    };
    await store.insertScanRun({ ...run, entityOwner: entity.owner });
    await store.requestScan(clock().toISOString(), [entityRef]);
    this.runScanRound().catch(error => logger.error(`Manual scan round failed: ${error}`));
    return run;
  }

  /** Claims and scans due entities until none is left; returns the refs this replica scanned. */
  async runScanRound(): Promise<string[]> {
    const { store, clock, concurrency, claimTimeoutMs } = this.options;
    const scanned: string[] = [];
    for (;;) {
      const now = clock();
      const claimed = await store.claimDueEntities({
        worker: this.workerId,
        now: now.toISOString(),
        claimExpiresAt: new Date(now.getTime() + claimTimeoutMs).toISOString(),
        limit: concurrency,
      });
      if (claimed.length === 0) return scanned;
      await inBatches(claimed, concurrency, async entity => {
        await this.scanClaimedEntity(entity);
        scanned.push(entity.entityRef);
      });
    }
  }

  private async scanClaimedEntity(entity: EntityState): Promise<void> {
    const { store, logger, clock } = this.options;
    const queued = (await store.listScanRuns(entity.entityRef, 5)).find(run => run.status === 'queued');
    const trigger: ScanTrigger = queued ? 'manual' : 'schedule';
    const runId = queued?.id ?? randomUUID();
    const startedAt = clock().toISOString();
    if (queued) {
      await store.updateScanRun(runId, { status: 'running', startedAt });
    } else {
      await store.insertScanRun({
        id: runId,
        entityRef: entity.entityRef,
        entityOwner: entity.owner,
        trigger,
        status: 'running',
        startedAt,
        targets: [],
      });
    }

    try {
      const result = await this.scanTargets(entity);
      const finishedAt = clock().toISOString();
      const { opened } = await store.applyScanFindings({
        entity,
        scannedTargets: result.scannedTargets,
        findings: result.findings,
        now: finishedAt,
      });
      await store.releaseClaim(entity.entityRef, this.workerId, {
        targetDigests: result.digests,
        lastScanId: runId,
        lastScannedAt: finishedAt,
      });
      const outcome = await this.options.decisions.recompute(entity.entityRef);
      const evaluation = outcome?.current.evaluation;
      const failed = result.targets.filter(target => target.status === 'failed');
      await store.updateScanRun(runId, {
        status: failed.length > 0 ? 'failed' : 'succeeded',
        finishedAt,
        targets: result.targets,
        decision: evaluation?.decision,
        counts: evaluation?.counts,
        error: failed.length > 0 ? failed.map(t => `${t.target}: ${t.error}`).join('; ') : undefined,
      });
      const blocking = new Set(
        (evaluation?.findings ?? []).filter(f => f.outcome === 'BLOCK').map(f => f.fingerprint),
      );
      await this.options.notifier.newBlockingFindings(
        entity.entityRef,
        entity.owner,
        opened.filter(finding => blocking.has(finding.fingerprint)),
      );
    } catch (error) {
      logger.error(`Scan of ${entity.entityRef} failed: ${error}`);
      await store.updateScanRun(runId, {
        status: 'failed',
        finishedAt: clock().toISOString(),
        error: error instanceof Error ? error.message : String(error),
      });
      await store.releaseClaim(entity.entityRef, this.workerId, {});
    }
  }

  private async scanTargets(entity: EntityState): Promise<{
    targets: ScanTargetResult[];
    findings: ScannedFinding[];
    scannedTargets: string[];
    digests: Record<string, string>;
  }> {
    const policy = this.options.policies.get(entity.policyName);
    const scanOptions = scanOptionsFromPolicy(policy);
    const readerOptions = {
      ...scanOptions.readerOptions,
      pinnedHashes: { ...(scanOptions.readerOptions?.pinnedHashes as object), ...entity.pinnedHashes },
    };
    const targets: ScanTargetResult[] = [];
    const findings: ScannedFinding[] = [];
    const scannedTargets: string[] = [];
    const digests: Record<string, string> = {};

    for (const target of entity.targets) {
      const resolver = this.options.resolvers.find(candidate => candidate.supports(target));
      try {
        if (!resolver) throw new Error(`No resolver for target '${target}' (expected url: or file:)`);
        const resolved = await resolver.resolve(target, {
          previousDigest: entity.targetDigests[target],
          entityRef: entity.entityRef,
        });
        digests[target] = resolved.digest;
        if (resolved.unchanged) {
          targets.push({ target, status: 'unchanged', filesScanned: 0, bytesRead: 0 });
          continue;
        }
        try {
          const result = await this.options.scanner.scanPath(resolved.path, { ...scanOptions, readerOptions });
          findings.push(...result.findings.map(finding => ({ ...finding, target })));
          scannedTargets.push(target);
          targets.push({
            target,
            status: 'scanned',
            filesScanned: result.files.length,
            bytesRead: result.files.reduce((sum, file) => sum + file.bytesRead, 0),
          });
        } finally {
          await resolved.cleanup();
        }
      } catch (error) {
        // The target's earlier findings stay as they were (we could not look); the failure itself
        // becomes a finding so the decision cannot be PASS, and the next scan retries in full.
        delete digests[target];
        findings.push(unreadableTargetFinding(target, error));
        targets.push({
          target,
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
          filesScanned: 0,
          bytesRead: 0,
        });
      }
    }
    return { targets, findings, scannedTargets, digests };
  }
}

function toEntityRecord(entity: Entity): EntityRecord {
  const annotations = entity.metadata.annotations ?? {};
  const owner = entity.relations?.find(relation => relation.type === 'ownedBy')?.targetRef;
  return {
    entityRef: stringifyEntityRef(getCompoundEntityRef(entity)),
    kind: entity.kind.toLocaleLowerCase('en-US'),
    owner: owner ?? (typeof entity.spec?.owner === 'string' ? normaliseOwner(entity.spec.owner, entity) : undefined),
    policyName: annotations[ANNOTATION_POLICY],
    targets: entityTargets(entity),
    pinnedHashes: parsePinnedHashes(annotations[ANNOTATION_SHA256]),
  };
}

function normaliseOwner(owner: string, entity: Entity): string {
  if (owner.includes(':')) return owner.includes('/') ? owner : owner.replace(':', ':default/');
  return `group:${entity.metadata.namespace ?? 'default'}/${owner}`;
}
