import type { MlGovernanceStore } from '../../database/MlGovernanceStore';
import { SCAN_SELF_TARGETS } from '../DecisionService';
import {
  describeFailure,
  LeaseLostError,
  scanSelfFailureFinding,
  type ScanOutcome,
} from './scanFindings';
import type { ScanServiceOptions } from './ScanServiceOptions';

/**
 * The writes of finished scans inside a transaction or savepoint: claims ended with fencing,
 * findings applied, decisions recomputed from them, runs finished. Each returns the notifications
 * to send once the enclosing transaction has committed.
 */
export class ScanOutcomeWriter {
  constructor(
    private readonly options: ScanServiceOptions,
    private readonly workerId: string,
  ) {}

  /**
   * The bulk form of {@link commitOutcome} for several scans that read their targets: claims ended
   * (fenced), findings applied, decisions recomputed from them, runs finished — all in one savepoint.
   */
  async commitScansTogether(
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
  async commitOutcome(
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
  async commitFailure(
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
}
