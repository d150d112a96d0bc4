import {
  isUnchanged,
  LeaseLostError,
  storeFailure,
  type ScanOutcome,
} from './scanFindings';
import type { ScanOutcomeWriter } from './ScanOutcomeWriter';
import type { ScanServiceOptions } from './ScanServiceOptions';

/**
 * Commits groups of finished scans: one transaction per group with a savepoint per entity, falling
 * back to one entity at a time, and to the bare minimum (the entity's scan error) when even the
 * failure cannot be written. Notifications and promotion hooks run after the commit.
 */
export class ScanOutcomeCommitter {
  constructor(
    private readonly options: ScanServiceOptions,
    private readonly workerId: string,
    private readonly writer: ScanOutcomeWriter,
  ) {}

  /**
   * Writes a group of finished scans in one transaction (one savepoint per entity): for each, its
   * findings, its decision (recomputed from those findings), its digests, the end of its claim and
   * its run's status commit together or not at all. A scan whose writes fail gets a SCAN-ERROR
   * instead, and its decision cannot stay PASS. Returns the refs committed as scanned.
   */
  async commitOutcomes(outcomes: ScanOutcome[]): Promise<string[]> {
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
            this.writer.commitScansTogether(savepoint, readable),
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
                this.writer.commitOutcome(savepoint, outcome),
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
                this.writer.commitFailure(savepoint, outcome, reason),
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

  /** After the group transaction failed: the failure in its own transaction, else the bare minimum. */
  private async recordFailureAlone(
    outcome: ScanOutcome,
    reason: string,
  ): Promise<boolean> {
    const { store, logger } = this.options;
    try {
      await store.transaction(tx =>
        this.writer.commitFailure(tx, outcome, reason),
      );
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
}
