import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@backstage/errors';
import type {
  ScanProvenance,
  ScanRun,
} from '@ml-governance/plugin-ml-governance-common';
import type {
  EntityState,
  ScannedFinding,
} from '../database/MlGovernanceStore';
import { syncCatalogEntities } from './scan/catalogEntities';
import { EntityTargetScanner, withDeclared } from './scan/EntityTargetScanner';
import { ScanOutcomeCommitter } from './scan/ScanOutcomeCommitter';
import { ScanOutcomeWriter } from './scan/ScanOutcomeWriter';
import { ScanRoundRunner } from './scan/ScanRoundRunner';
import type { ScanServiceOptions } from './scan/ScanServiceOptions';

export type { ScanServiceOptions } from './scan/ScanServiceOptions';
export {
  scanSelfFailureFinding,
  unreadableTargetFinding,
} from './scan/scanFindings';

/**
 * Syncs ML entities from the catalog, and scans them. Work is shared through database claims: every
 * replica may run `runScanRound`, and each due entity is claimed by exactly one of them at a time.
 */
export class ScanService {
  private readonly rounds: ScanRoundRunner;

  constructor(private readonly options: ScanServiceOptions) {
    const workerId = options.workerId ?? `mlgov-${randomUUID()}`;
    const writer = new ScanOutcomeWriter(options, workerId);
    this.rounds = new ScanRoundRunner(
      options,
      workerId,
      new EntityTargetScanner(options),
      new ScanOutcomeCommitter(options, workerId, writer),
    );
  }

  /** Reads every ML entity from the catalog (cursor pages) into the store; returns how many. */
  async syncCatalog(): Promise<number> {
    return syncCatalogEntities(this.options);
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
    return this.rounds.runScanRound();
  }

  /** Marks runs whose replica is gone as failed ('abandoned'); at start-up and in every round. */
  async markAbandonedRuns(): Promise<number> {
    return this.rounds.markAbandonedRuns();
  }
}
