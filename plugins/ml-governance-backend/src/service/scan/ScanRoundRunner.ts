import type { EntityTargetScanner } from './EntityTargetScanner';
import { GroupCommitter } from './GroupCommitter';
import type { ScanOutcomeCommitter } from './ScanOutcomeCommitter';
import type { ScanOutcome } from './scanFindings';
import type { ScanServiceOptions } from './ScanServiceOptions';

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

/** Claim batches grow while they finish quickly (incremental rounds) up to this size. */
const MAX_CLAIM_BATCH = 200;
/** A batch that finished within this time doubles the next one. */
const FAST_BATCH_MS = 2_000;
/** A finished scan waits at most this long to be committed together with others. */
const GROUP_COMMIT_DELAY_MS = 200;

/**
 * Rounds of claiming and scanning on this replica: due entities are claimed in batches under a lease
 * (renewed by a heartbeat while they are worked on), scanned with bounded concurrency and committed
 * in groups, until none is due.
 */
export class ScanRoundRunner {
  private activeRound?: Promise<string[]>;
  private lookAgain = false;

  constructor(
    private readonly options: ScanServiceOptions,
    private readonly workerId: string,
    private readonly targets: EntityTargetScanner,
    private readonly committer: ScanOutcomeCommitter,
  ) {}

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
          outcomes => this.committer.commitOutcomes(outcomes),
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
          const outcome = await this.targets.scanEntity(entity);
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
}
