import { randomUUID } from 'node:crypto';
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  CATALOG_FILTER_EXISTS,
  type EntityFilterQuery,
} from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { NotFoundError } from '@backstage/errors';
import { fingerprintOf, getRule } from '@ml-governance/scanner';
import {
  ANNOTATION_ARTIFACTS,
  ANNOTATION_POLICY,
  ANNOTATION_SHA256,
  ANNOTATION_SOURCE,
  ML_ENTITY_FILTER,
  type ScanProvenance,
  type ScanRun,
  type ScanTargetResult,
} from '@ml-governance/plugin-ml-governance-common';
import type { TargetResolver } from '@ml-governance/plugin-ml-governance-node';
import { MODEL_API_CATALOG_FILTER } from '../modelApis/catalogFilter';
import type {
  ClaimedEntity,
  EntityRecord,
  EntityState,
  MlGovernanceStore,
  ScannedFinding,
} from '../database/MlGovernanceStore';
import type { ArtifactScanner } from '../scanning/ArtifactScanner';
import { declaredTargetsOf, entityTargets } from '../scanning/entityTargets';
import { entityReaderOptions } from '../scanning/entityScanContext';
import {
  scanOptionsFromPolicy,
  type PolicyRegistry,
} from '../policy/PolicyRegistry';
import { SCAN_SELF_TARGETS, type DecisionService } from './DecisionService';
import type { MlGovernanceNotifier } from './Notifier';
import type { PromotionService } from './PromotionService';
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
  /** Promotion hooks (docs/promotion.md): versions by digest, the rejected-artifact log, pinning. */
  promotions?: PromotionService;
  concurrency: number;
  /**
   * How long a claim on an entity lasts unless renewed. The scanning replica renews it every third
   * of this while it works, so a replica that dies holds an entity for at most this long.
   */
  leaseMs: number;
  /** The scheduled sweep skips entities with a CI scan younger than this (0: never skips). */
  ciFreshForMs?: number;
  /** Entities claimed (and their runs started) per claim transaction. Default 5 × concurrency. */
  claimBatchSize?: number;
  /** Identifies this replica in claims. */
  workerId?: string;
}

/** The scan's lease on the entity expired and another replica took it over: nothing is written. */
class LeaseLostError extends Error {
  constructor(entityRef: string) {
    super(
      `Lease on ${entityRef} was lost to another replica; its results are discarded`,
    );
    this.name = 'LeaseLostError';
  }
}

/** A failure described without server paths or scanned text: the error's class and code only. */
function describeFailure(error: unknown): string {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  const parts = [typeof name === 'string' ? name : 'Error'];
  if (typeof code === 'string' || typeof code === 'number')
    parts.push(`code ${code}`);
  return parts
    .join(', ')
    .replace(/[^\w ,.:-]/g, '')
    .slice(0, 120);
}

/**
 * The SCAN-ERROR finding about the scan itself (results not stored or not computed, policy unknown).
 * Its target is one of {@link SCAN_SELF_TARGETS}, which every later scan covers, so it resolves as soon
 * as a scan succeeds again.
 */
export function scanSelfFailureFinding(
  kind: keyof typeof SCAN_SELF_TARGETS,
  message: string,
): ScannedFinding {
  const rule = getRule('SCAN-ERROR');
  const target = SCAN_SELF_TARGETS[kind];
  const fixes: Record<keyof typeof SCAN_SELF_TARGETS, string> = {
    store:
      'The scan ran but its results could not be saved. Check the backend logs and database, then rescan; the entity stays not-PASS until a scan is stored.',
    scan: 'The scan could not be completed. Check the backend logs, then rescan; the entity stays not-PASS until a scan succeeds.',
    policy:
      'Name a policy configured under mlGovernance.policies in the ml-governance.io/policy annotation (or remove the annotation), then rescan.',
  };
  return {
    fingerprint: fingerprintOf({
      ruleId: rule.id,
      location: { path: target },
      key: `scan-self-${kind}`,
    }),
    target,
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    cwe: rule.cwe,
    owaspLlm: rule.owaspLlm,
    message: message.slice(0, 1000),
    location: { path: target },
    evidence: { target },
    fix: fixes[kind],
    retest: 'Rescan the entity from its ML Governance tab',
    docsUrl: '',
  };
}

interface ScanOutcome {
  entity: ClaimedEntity;
  targets: ScanTargetResult[];
  findings: ScannedFinding[];
  scannedTargets: string[];
  digests: Record<string, string>;
  /** Set when the scan could not be computed at all. */
  error?: unknown;
}

/** The SCAN-ERROR finding recorded when a whole target cannot be read. */
export function unreadableTargetFinding(
  target: string,
  error: unknown,
): ScannedFinding {
  const rule = getRule('SCAN-ERROR');
  const message = `Target could not be read: ${
    error instanceof Error ? error.message : String(error)
  }`;
  return {
    fingerprint: fingerprintOf({
      ruleId: rule.id,
      location: { path: target },
      key: 'target-unreadable',
    }),
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
async function inBatches<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const workers = Array.from(
    { length: Math.min(limit, queue.length) },
    async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift())
        await task(item);
    },
  );
  await Promise.all(workers);
}

/**
 * Nothing was read (every target unchanged since a stored scan) and nothing is wrong: nothing the
 * decision depends on changed, so only the claim and the run need finishing.
 */
function isUnchanged(outcome: ScanOutcome): boolean {
  const { entity } = outcome;
  return (
    outcome.error === undefined &&
    outcome.findings.length === 0 &&
    outcome.targets.length > 0 &&
    outcome.targets.every(target => target.status === 'unchanged') &&
    entity.scanError === undefined &&
    entity.lastScannedAt !== undefined
  );
}

function storeFailure(error: unknown): string {
  return `Scan results could not be stored (${describeFailure(error)})`;
}

/**
 * Group commit: finished scans are written together, one transaction for many entities, once
 * `maxItems` are waiting or `maxDelayMs` after the first one finished (so a long scan never holds an
 * early result back for long). Results arriving during a write go in the next one.
 */
class GroupCommitter<T> {
  private pending: T[] = [];
  private readonly running = new Set<Promise<void>>();
  private timer?: ReturnType<typeof setTimeout>;
  private readonly done: string[] = [];

  constructor(
    private readonly commit: (items: T[]) => Promise<string[]>,
    private readonly limits: {
      maxItems: number;
      maxDelayMs: number;
      maxParallel: number;
    },
  ) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.pending.length >= this.limits.maxItems) this.kick();
    else if (!this.timer)
      this.timer = setTimeout(() => this.kick(), this.limits.maxDelayMs);
  }

  /** Starts a write of what is waiting, unless `maxParallel` writes are already under way. */
  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (
      this.pending.length === 0 ||
      this.running.size >= this.limits.maxParallel
    )
      return;
    const items = this.pending;
    this.pending = [];
    const write: Promise<void> = this.commit(items)
      .then(refs => {
        this.done.push(...refs);
      })
      .finally(() => {
        this.running.delete(write);
        if (this.pending.length >= this.limits.maxItems) this.kick();
        else if (this.pending.length > 0 && !this.timer)
          this.timer = setTimeout(() => this.kick(), this.limits.maxDelayMs);
      });
    this.running.add(write);
  }

  /** Writes whatever is still waiting; returns everything committed. */
  async drain(): Promise<string[]> {
    for (
      this.kick();
      this.running.size > 0 || this.pending.length > 0;
      this.kick()
    ) {
      if (this.running.size > 0) await Promise.race(this.running);
    }
    return this.done;
  }
}

/** Claim batches grow while they finish quickly (incremental rounds) up to this size. */
const MAX_CLAIM_BATCH = 200;
/** A batch that finished within this time doubles the next one. */
const FAST_BATCH_MS = 2_000;
/** A finished scan waits at most this long to be committed together with others. */
const GROUP_COMMIT_DELAY_MS = 200;

/**
 * Syncs ML entities from the catalog, and scans them. Work is shared through database claims: every
 * replica may run `runScanRound`, and each due entity is claimed by exactly one of them at a time.
 */
export class ScanService {
  private readonly workerId: string;
  private activeRound?: Promise<string[]>;
  private lookAgain = false;

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
      {
        [`metadata.annotations.${ANNOTATION_ARTIFACTS}`]: CATALOG_FILTER_EXISTS,
      },
      { [`metadata.annotations.${ANNOTATION_SOURCE}`]: CATALOG_FILTER_EXISTS },
      // Model APIs are synced too: their versions and probe series hang off the entity.
      ...MODEL_API_CATALOG_FILTER,
    ];
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await catalog.queryEntities(
        cursor
          ? { cursor, limit: CATALOG_PAGE_SIZE }
          : { filter, limit: CATALOG_PAGE_SIZE },
        { credentials },
      );
      const records = page.items.map(toEntityRecord);
      await store.upsertEntities(records, syncedAt);
      count += records.length;
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    const removed = await store.removeEntitiesNotSyncedSince(syncedAt);
    if (removed > 0)
      this.options.logger.info(
        `Forgot ${removed} entities no longer in the catalog`,
      );
    return count;
  }

  /** Marks every entity due (the scheduled sweep); unchanged targets are skipped during the scan. */
  async requestFullScan(): Promise<void> {
    const now = this.options.clock();
    const { ciFreshForMs } = this.options;
    // Entities whose CI uploaded results within ciResults.freshFor are left to CI.
    const ciFreshSince = ciFreshForMs
      ? new Date(now.getTime() - ciFreshForMs).toISOString()
      : undefined;
    await this.options.store.requestScan(now.toISOString(), undefined, {
      ciFreshSince,
    });
  }

  /**
   * Stores a scan uploaded from CI as a finished 'ci' run, through the same path as a scheduled
   * scan: findings stored as storable text, the decision recomputed from them under the entity's
   * policy (never the uploader's), the run and the entity's CI timestamp, in one transaction.
   * The CI scan stands for all of the entity's targets, so findings it no longer reports resolve.
   */
  async recordCiScan(
    entity: EntityState,
    findings: ScannedFinding[],
    provenance: ScanProvenance,
  ): Promise<ScanRun> {
    const { store, clock, decisions } = this.options;
    const now = clock().toISOString();
    const run: ScanRun = {
      id: randomUUID(),
      entityRef: entity.entityRef,
      trigger: 'ci',
      status: 'running',
      requestedBy: provenance.uploadedBy,
      startedAt: now,
      targets: [],
      provenance,
    };
    // Promotion hook: an upload cannot clear what the rejected-artifact log and pinning say.
    const intake =
      (await this.options.promotions?.intakeFindings(entity)) ?? [];
    const targets = [
      ...new Set([...entity.targets, ...findings.map(f => f.target)]),
    ];
    const opened = await store.transaction(async tx => {
      await tx.insertScanRun({ ...run, entityOwner: entity.owner });
      const applied = await tx.applyScanFindings({
        entity,
        scannedTargets: targets,
        findings: [...findings, ...intake],
        now,
      });
      const decided = await decisions.recompute(entity.entityRef, tx);
      const evaluation = decided?.current.evaluation;
      run.status = 'succeeded';
      run.finishedAt = now;
      run.decision =
        decided?.current.decision === 'UNKNOWN'
          ? undefined
          : evaluation?.decision;
      run.counts = evaluation?.counts;
      run.targets = targets.map(target =>
        withDeclared(
          { target, status: 'scanned', filesScanned: 0, bytesRead: 0 },
          entity,
        ),
      );
      await tx.updateScanRun(run.id, {
        status: run.status,
        finishedAt: now,
        decision: run.decision,
        counts: run.counts,
        targets: run.targets,
      });
      await tx.markCiScan(entity.entityRef, now, run.id);
      const blocking = new Set(
        (evaluation?.findings ?? [])
          .filter(f => f.outcome === 'BLOCK')
          .map(f => f.fingerprint),
      );
      return applied.opened.filter(finding =>
        blocking.has(finding.fingerprint),
      );
    });
    await this.options.notifier
      .newBlockingFindings(entity.entityRef, entity.owner, opened)
      .catch(error =>
        this.options.logger.warn(`Notification failed: ${error}`),
      );
    return run;
  }

  /** Queues a manual scan and starts a round on this replica in the background. */
  async requestScan(entityRef: string, requestedBy: string): Promise<ScanRun> {
    const { store, clock, logger } = this.options;
    const entity = await store.getEntity(entityRef);
    if (!entity)
      throw new NotFoundError(`${entityRef} is not an ML Governance entity`);
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
    this.runScanRound().catch(error =>
      logger.error(`Manual scan round failed: ${error}`),
    );
    return run;
  }

  /**
   * Claims and scans due entities until none is left; returns the refs this replica scanned. One
   * round at a time per replica: a call during a round joins it (and makes it look once more).
   */
  async runScanRound(): Promise<string[]> {
    if (this.activeRound) {
      this.lookAgain = true;
      return this.activeRound;
    }
    this.activeRound = this.scanUntilNoneDue().finally(() => {
      this.activeRound = undefined;
    });
    return this.activeRound;
  }

  /** Marks runs whose replica is gone as failed ('abandoned'); at start-up and in every round. */
  async markAbandonedRuns(): Promise<number> {
    const count = await this.options.store.markAbandonedRuns(
      this.options.clock().toISOString(),
    );
    if (count > 0)
      this.options.logger.warn(
        `Marked ${count} scan runs abandoned (their replica stopped before finishing)`,
      );
    return count;
  }

  private async scanUntilNoneDue(): Promise<string[]> {
    const { store, clock, concurrency, leaseMs, logger } = this.options;
    const baseBatch = this.options.claimBatchSize ?? concurrency * 5;
    let batchSize = baseBatch;
    const scanned: string[] = [];
    const held = new Set<string>();
    // The heartbeat: leases of entities still being worked on are renewed well before they run out.
    const heartbeat = setInterval(() => {
      if (held.size === 0) return;
      const refs = [...held];
      store
        .renewClaims(
          this.workerId,
          refs,
          new Date(clock().getTime() + leaseMs).toISOString(),
        )
        .then(renewed => {
          if (renewed < refs.length)
            logger.warn(
              `Lost ${refs.length - renewed} scan leases to other replicas`,
            );
        })
        .catch(error => logger.warn(`Could not renew scan leases: ${error}`));
    }, Math.max(50, Math.floor(leaseMs / 3)));
    heartbeat.unref?.();
    try {
      await this.markAbandonedRuns();
      for (;;) {
        this.lookAgain = false;
        const now = clock();
        const claimed = await store.claimDueEntities({
          worker: this.workerId,
          now: now.toISOString(),
          claimExpiresAt: new Date(now.getTime() + leaseMs).toISOString(),
          limit: batchSize,
        });
        if (claimed.length === 0) {
          if (this.lookAgain) continue;
          return scanned;
        }
        const batchStart = Date.now();
        for (const entity of claimed) held.add(entity.entityRef);
        const committer = new GroupCommitter<ScanOutcome>(
          outcomes => this.commitOutcomes(outcomes),
          {
            maxItems: Math.max(
              concurrency,
              Math.ceil(claimed.length / concurrency),
            ),
            maxDelayMs: GROUP_COMMIT_DELAY_MS,
            // Several transactions at once: each entity is in exactly one, so they touch disjoint rows.
            maxParallel: concurrency,
          },
        );
        await inBatches(claimed, concurrency, async entity => {
          const outcome = await this.scanEntity(entity);
          // Its commit follows at once: the heartbeat no longer touches the row, so the two never
          // wait on each other's row locks.
          held.delete(entity.entityRef);
          committer.add(outcome);
        });
        scanned.push(...(await committer.drain()));
        // Quick batches (mostly unchanged targets) grow, so an incremental round needs few
        // transactions; slow ones go back to the base size, so replicas share slow work evenly.
        batchSize =
          Date.now() - batchStart < FAST_BATCH_MS
            ? Math.min(MAX_CLAIM_BATCH, batchSize * 2)
            : baseBatch;
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async scanEntity(entity: ClaimedEntity): Promise<ScanOutcome> {
    try {
      return { entity, ...(await this.scanTargets(entity)) };
    } catch (error) {
      this.options.logger.error(
        `Scan of ${entity.entityRef} could not be completed: ${error}`,
      );
      return {
        entity,
        targets: [],
        findings: [],
        scannedTargets: [],
        digests: {},
        error,
      };
    }
  }

  /**
   * Writes a group of finished scans in one transaction (one savepoint per entity): for each, its
   * findings, its decision (recomputed from those findings), its digests, the end of its claim and
   * its run's status commit together or not at all. A scan whose writes fail gets a SCAN-ERROR
   * instead, and its decision cannot stay PASS. Returns the refs committed as scanned.
   */
  private async commitOutcomes(outcomes: ScanOutcome[]): Promise<string[]> {
    const { logger } = this.options;
    try {
      const { committed, notifications } = await this.commitGroup(outcomes);
      for (const notify of notifications)
        await notify().catch(error =>
          logger.warn(`Notification failed: ${error}`),
        );
      // Promotion hook: the committed decision evaluates the versions the scan read.
      for (const outcome of outcomes.filter(o =>
        committed.includes(o.entity.entityRef),
      ))
        await this.options.promotions?.onScanCommitted(
          outcome.entity.entityRef,
          outcome.targets,
        );
      return committed;
    } catch (error) {
      // The group's transaction itself failed (connection lost, even the failure could not be
      // written): nothing of it was written. Each entity is tried again on its own.
      if (outcomes.length === 1) {
        logger.error(
          `Could not commit the scan of ${outcomes[0].entity.entityRef}: ${error}`,
        );
        return (await this.recordFailureAlone(outcomes[0], storeFailure(error)))
          ? [outcomes[0].entity.entityRef]
          : [];
      }
      logger.warn(
        `Could not commit ${outcomes.length} scans together, committing them one by one: ${error}`,
      );
      const committed: string[] = [];
      for (const outcome of outcomes)
        committed.push(...(await this.commitOutcomes([outcome])));
      return committed;
    }
  }

  private async commitGroup(
    outcomes: ScanOutcome[],
  ): Promise<{ committed: string[]; notifications: (() => Promise<void>)[] }> {
    const { store, logger, clock } = this.options;
    const committed: string[] = [];
    const notifications: (() => Promise<void>)[] = [];
    await store.transaction(async tx => {
      // Scans that read nothing new are finished together, in a few statements.
      const unchanged = outcomes.filter(isUnchanged);
      if (unchanged.length > 0) {
        committed.push(
          ...(await tx.finishUnchangedScans(
            this.workerId,
            clock().toISOString(),
            unchanged.map(({ entity, targets }) => ({
              entityRef: entity.entityRef,
              runIds: [entity.runId, ...entity.otherRunIds],
              targets,
              decision:
                entity.decision === 'UNKNOWN' ? undefined : entity.decision,
              counts: entity.counts,
            })),
          )),
        );
      }
      let rest = outcomes.filter(outcome => !isUnchanged(outcome));
      // Scans that read something: together in a savepoint, in a few statements per group. If any
      // of it fails, the savepoint is rolled back and each is committed on its own below, where a
      // failure is pinned on the one entity it belongs to.
      const readable = rest.filter(outcome => outcome.error === undefined);
      if (readable.length > 1) {
        try {
          const together = await tx.transaction(savepoint =>
            this.commitScansTogether(savepoint, readable),
          );
          committed.push(...together.committed);
          notifications.push(...together.notifications);
          const done = new Set(
            readable.map(outcome => outcome.entity.entityRef),
          );
          rest = rest.filter(outcome => !done.has(outcome.entity.entityRef));
        } catch (error) {
          logger.warn(
            `Could not write ${readable.length} scans together, writing them one by one: ${error}`,
          );
        }
      }
      for (const outcome of rest) {
        const { entity } = outcome;
        const runIds = [entity.runId, ...entity.otherRunIds];
        try {
          try {
            notifications.push(
              await tx.transaction(savepoint =>
                this.commitOutcome(savepoint, outcome),
              ),
            );
          } catch (error) {
            if (error instanceof LeaseLostError) throw error;
            logger.error(
              `Results of the scan of ${entity.entityRef} could not be stored: ${error}`,
            );
            const reason = storeFailure(error);
            try {
              await tx.transaction(savepoint =>
                this.commitFailure(savepoint, outcome, reason),
              );
            } catch (failureError) {
              if (failureError instanceof LeaseLostError) throw failureError;
              logger.error(
                `Could not record the failed scan of ${entity.entityRef}: ${failureError}`,
              );
              await tx.transaction(async savepoint => {
                await savepoint.markEntityScanError(
                  entity.entityRef,
                  this.workerId,
                  reason,
                );
                await savepoint.updateScanRuns(runIds, {
                  status: 'failed',
                  finishedAt: clock().toISOString(),
                  error: reason,
                });
              });
            }
          }
          committed.push(entity.entityRef);
        } catch (error) {
          if (!(error instanceof LeaseLostError)) throw error;
          logger.warn(error.message);
          await tx.updateScanRuns(runIds, {
            status: 'failed',
            finishedAt: clock().toISOString(),
            error:
              'lease lost: another replica took this entity over and scans it again',
          });
        }
      }
    });
    return { committed, notifications };
  }

  /**
   * The bulk form of {@link commitOutcome} for several scans that read their targets: claims ended
   * (fenced), findings applied, decisions recomputed from them, runs finished — all in one savepoint.
   */
  private async commitScansTogether(
    tx: MlGovernanceStore,
    outcomes: ScanOutcome[],
  ): Promise<{ committed: string[]; notifications: (() => Promise<void>)[] }> {
    const finishedAt = this.options.clock().toISOString();
    const held = new Set(
      await tx.releaseClaims(
        this.workerId,
        finishedAt,
        outcomes.map(({ entity, digests }) => ({
          entityRef: entity.entityRef,
          targetDigests: digests,
          lastScanId: entity.runId,
        })),
      ),
    );
    const lost = outcomes.filter(
      outcome => !held.has(outcome.entity.entityRef),
    );
    for (const { entity } of lost)
      this.options.logger.warn(new LeaseLostError(entity.entityRef).message);
    if (lost.length > 0) {
      await tx.updateScanRuns(
        lost.flatMap(({ entity }) => [entity.runId, ...entity.otherRunIds]),
        {
          status: 'failed',
          finishedAt,
          error:
            'lease lost: another replica took this entity over and scans it again',
        },
      );
    }
    const kept = outcomes.filter(outcome => held.has(outcome.entity.entityRef));
    if (kept.length === 0) return { committed: [], notifications: [] };
    const opened = await tx.applyScanFindingsMany(
      kept.map(({ entity, scannedTargets, findings }) => ({
        entity,
        scannedTargets: [
          ...scannedTargets,
          ...Object.values(SCAN_SELF_TARGETS),
        ],
        findings,
      })),
      finishedAt,
    );
    const evaluations = await this.options.decisions.recomputeMany(
      kept.map(({ entity }) => ({
        ...entity,
        lastScannedAt: finishedAt,
        lastScanId: entity.runId,
        scanError: undefined,
      })),
      tx,
    );
    await tx.finishScanRuns(
      finishedAt,
      kept.map(({ entity, targets }) => {
        const current = evaluations.get(entity.entityRef)!;
        const failedTargets = targets.filter(
          target => target.status === 'failed',
        );
        return {
          runIds: [entity.runId, ...entity.otherRunIds],
          status: failedTargets.length > 0 ? 'failed' : 'succeeded',
          targets,
          decision:
            current.decision === 'UNKNOWN'
              ? undefined
              : current.evaluation.decision,
          counts: current.evaluation.counts,
          error:
            failedTargets.length > 0
              ? failedTargets.map(t => `${t.target}: ${t.error}`).join('; ')
              : undefined,
        };
      }),
    );
    const notifications = kept.map(({ entity }) => {
      const current = evaluations.get(entity.entityRef)!;
      const blocking = new Set(
        current.evaluation.findings
          .filter(f => f.outcome === 'BLOCK')
          .map(f => f.fingerprint),
      );
      const newlyBlocking = (opened.get(entity.entityRef) ?? []).filter(
        finding => blocking.has(finding.fingerprint),
      );
      return () =>
        this.options.notifier.newBlockingFindings(
          entity.entityRef,
          entity.owner,
          newlyBlocking,
        );
    });
    return {
      committed: kept.map(({ entity }) => entity.entityRef),
      notifications,
    };
  }

  /** One entity's results, inside the group transaction; returns its notification to send after commit. */
  private async commitOutcome(
    tx: MlGovernanceStore,
    outcome: ScanOutcome,
  ): Promise<() => Promise<void>> {
    const { entity } = outcome;
    if (outcome.error !== undefined) {
      await this.commitFailure(
        tx,
        outcome,
        `Scan could not be completed (${describeFailure(outcome.error)})`,
        'scan',
      );
      return async () => {};
    }
    const finishedAt = this.options.clock().toISOString();
    const failedTargets = outcome.targets.filter(
      target => target.status === 'failed',
    );
    // Fencing: the claim is ended first and only if still ours, which also locks the entity's row
    // (PostgreSQL) so no other replica can take it over until this commits.
    const held = await tx.releaseClaim(entity.entityRef, this.workerId, {
      targetDigests: outcome.digests,
      lastScanId: entity.runId,
      lastScannedAt: finishedAt,
      scanError: null,
    });
    if (!held) throw new LeaseLostError(entity.entityRef);
    const runIds = [entity.runId, ...entity.otherRunIds];
    const { opened } = await tx.applyScanFindings({
      entity,
      scannedTargets: [
        ...outcome.scannedTargets,
        ...Object.values(SCAN_SELF_TARGETS),
      ],
      findings: outcome.findings,
      now: finishedAt,
    });
    const decided = await this.options.decisions.recompute(
      entity.entityRef,
      tx,
    );
    const evaluation = decided?.current.evaluation;
    await tx.updateScanRuns(runIds, {
      status: failedTargets.length > 0 ? 'failed' : 'succeeded',
      finishedAt,
      targets: outcome.targets,
      decision:
        decided?.current.decision === 'UNKNOWN'
          ? undefined
          : evaluation?.decision,
      counts: evaluation?.counts,
      error:
        failedTargets.length > 0
          ? failedTargets.map(t => `${t.target}: ${t.error}`).join('; ')
          : undefined,
    });
    const blocking = new Set(
      (evaluation?.findings ?? [])
        .filter(f => f.outcome === 'BLOCK')
        .map(f => f.fingerprint),
    );
    const newlyBlocking = opened.filter(finding =>
      blocking.has(finding.fingerprint),
    );
    return () =>
      this.options.notifier.newBlockingFindings(
        entity.entityRef,
        entity.owner,
        newlyBlocking,
      );
  }

  /**
   * Records that this scan's results could not be stored or computed: a SCAN-ERROR finding, the
   * entity's scan error, the recomputed (not-PASS) decision and the failed run, together. Earlier
   * findings stay as they were (nothing was learnt about them) and digests are not updated, so the
   * next scan reads everything again.
   */
  private async commitFailure(
    tx: MlGovernanceStore,
    outcome: ScanOutcome,
    reason: string,
    kind: 'store' | 'scan' = 'store',
  ): Promise<void> {
    const { entity } = outcome;
    const finishedAt = this.options.clock().toISOString();
    const held = await tx.releaseClaim(entity.entityRef, this.workerId, {
      lastScanId: entity.runId,
      scanError: reason,
    });
    if (!held) throw new LeaseLostError(entity.entityRef);
    await tx.applyScanFindings({
      entity,
      scannedTargets: [],
      findings: [scanSelfFailureFinding(kind, reason)],
      now: finishedAt,
    });
    const decided = await this.options.decisions.recompute(
      entity.entityRef,
      tx,
    );
    await tx.updateScanRuns([entity.runId, ...entity.otherRunIds], {
      status: 'failed',
      finishedAt,
      targets: outcome.targets,
      decision:
        decided?.current.decision === 'UNKNOWN'
          ? undefined
          : decided?.current.evaluation.decision,
      counts: decided?.current.evaluation.counts,
      error: reason,
    });
  }

  /** After the group transaction failed: the failure in its own transaction, else the bare minimum. */
  private async recordFailureAlone(
    outcome: ScanOutcome,
    reason: string,
  ): Promise<boolean> {
    const { store, logger } = this.options;
    try {
      await store.transaction(tx => this.commitFailure(tx, outcome, reason));
      return true;
    } catch (error) {
      if (error instanceof LeaseLostError) {
        logger.warn(error.message);
        return false;
      }
      logger.error(
        `Could not record the failed scan of ${outcome.entity.entityRef}: ${error}`,
      );
      try {
        // No finding could be written: the entity's own row still says why, and it cannot PASS.
        await store.markEntityScanError(
          outcome.entity.entityRef,
          this.workerId,
          reason,
        );
        await store.updateScanRuns(
          [outcome.entity.runId, ...outcome.entity.otherRunIds],
          {
            status: 'failed',
            finishedAt: this.options.clock().toISOString(),
            error: reason,
          },
        );
      } catch (lastError) {
        // The database is unreachable: the lease runs out and the next round scans again; the gate
        // cannot read a PASS from an unreachable database either.
        logger.error(
          `Could not record the scan error of ${outcome.entity.entityRef}: ${lastError}`,
        );
      }
      return false;
    }
  }

  private async scanTargets(entity: EntityState): Promise<{
    targets: ScanTargetResult[];
    findings: ScannedFinding[];
    scannedTargets: string[];
    digests: Record<string, string>;
  }> {
    const { policies } = this.options;
    const policyKnown = policies
      .names()
      .includes(entity.policyName ?? 'default');
    // An unknown policy is a finding (and never a PASS); the artifacts are still scanned, under the
    // default policy, so what they contain is known.
    const policy = policies.get(policyKnown ? entity.policyName : undefined);
    const scanOptions = scanOptionsFromPolicy(policy);
    const readerOptions = {
      ...entityReaderOptions(entity, scanOptions.readerOptions ?? {}),
      pinnedHashes: {
        ...(scanOptions.readerOptions?.pinnedHashes as object),
        ...entity.pinnedHashes,
      },
    };
    const targets: ScanTargetResult[] = [];
    const findings: ScannedFinding[] = [];
    const scannedTargets: string[] = [];
    const digests: Record<string, string> = {};
    if (!policyKnown) {
      findings.push(
        scanSelfFailureFinding(
          'policy',
          `Unknown ML Governance policy '${String(entity.policyName).slice(
            0,
            128,
          )}' in ml-governance.io/policy; evaluated under the default policy and never PASS`,
        ),
      );
    }

    for (const target of entity.targets) {
      const resolver = this.options.resolvers.find(candidate =>
        candidate.supports(target),
      );
      try {
        if (!resolver)
          throw new Error(
            `No resolver for target '${target}' (expected url: or file:)`,
          );
        const resolved = await resolver.resolve(target, {
          previousDigest: entity.targetDigests[target],
          entityRef: entity.entityRef,
        });
        digests[target] = resolved.digest;
        // Promotion hook: records the version, consults the rejected-artifact log, checks pinning.
        const intake = await this.options.promotions?.onTargetResolved(
          entity,
          target,
          resolved.digest,
        );
        if (intake) findings.push(...intake);
        if (resolved.unchanged) {
          targets.push({
            target,
            status: 'unchanged',
            version: resolved.digest,
            filesScanned: 0,
            bytesRead: 0,
          });
          continue;
        }
        try {
          const result = await this.options.scanner.scanPath(resolved.path, {
            ...scanOptions,
            // `ml-governance.io/sha256` pins artifact files; an image is pinned by its manifest digest.
            readerOptions: target.startsWith('oci://')
              ? scanOptions.readerOptions
              : readerOptions,
          });
          findings.push(
            ...result.findings.map(finding => ({ ...finding, target })),
          );
          scannedTargets.push(target);
          targets.push({
            target,
            status: 'scanned',
            version: resolved.digest,
            filesScanned: result.files.length,
            bytesRead: result.files.reduce(
              (sum, file) => sum + file.bytesRead,
              0,
            ),
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
    return {
      targets: targets.map(each => withDeclared(each, entity)),
      findings,
      scannedTargets,
      digests,
    };
  }
}

/** A scan's result for a target, with the annotation value it came from when that is known. */
function withDeclared(
  result: ScanTargetResult,
  entity: Pick<EntityRecord, 'declaredTargets'>,
): ScanTargetResult {
  const declared = entity.declaredTargets?.[result.target];
  return declared === undefined ? result : { ...result, declared };
}

function toEntityRecord(entity: Entity): EntityRecord {
  const annotations = entity.metadata.annotations ?? {};
  const owner = entity.relations?.find(
    relation => relation.type === 'ownedBy',
  )?.targetRef;
  return {
    entityRef: stringifyEntityRef(getCompoundEntityRef(entity)),
    kind: entity.kind.toLocaleLowerCase('en-US'),
    owner:
      owner ??
      (typeof entity.spec?.owner === 'string'
        ? normaliseOwner(entity.spec.owner, entity)
        : undefined),
    policyName: annotations[ANNOTATION_POLICY],
    targets: entityTargets(entity),
    declaredTargets: declaredTargetsOf(entity),
    pinnedHashes: parsePinnedHashes(annotations[ANNOTATION_SHA256]),
    lifecycle: specString(entity, 'lifecycle'),
    type: specString(entity, 'type'),
  };
}

function specString(entity: Entity, field: string): string | undefined {
  const value = entity.spec?.[field];
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim().toLocaleLowerCase('en-US').slice(0, 64)
    : undefined;
}

function normaliseOwner(owner: string, entity: Entity): string {
  if (owner.includes(':'))
    return owner.includes('/') ? owner : owner.replace(':', ':default/');
  return `group:${entity.metadata.namespace ?? 'default'}/${owner}`;
}
