import { randomUUID } from 'node:crypto';
import type {
  ReleaseDecision,
  ScanTargetResult,
  SeverityCounts,
} from '@ml-governance/plugin-ml-governance-common';
import type { ClaimedEntity, MlGovernanceStore } from '../MlGovernanceStore';
import { entityFromRow } from './rows';
import { ENTITIES, SCAN_RUNS, INSERT_CHUNK, StoreModule } from './StoreModule';
import { storableJson, storableText } from '../storableText';

const ABANDONED =
  'abandoned: the replica running this scan stopped before finishing (its lease expired); the entity is scanned again';

/** Leases on entities being scanned: claiming due entities, renewing, releasing, and runs left behind. */
export type ScanClaimStore = Pick<
  MlGovernanceStore,
  | 'claimDueEntities'
  | 'renewClaims'
  | 'releaseClaim'
  | 'releaseClaims'
  | 'finishUnchangedScans'
  | 'markAbandonedRuns'
>;

/** The knex implementation of {@link ScanClaimStore}. */
export class ScanClaimsStore extends StoreModule implements ScanClaimStore {
  async claimDueEntities(options: {
    worker: string;
    now: string;
    claimExpiresAt: string;
    limit: number;
  }): Promise<ClaimedEntity[]> {
    const { worker, now, claimExpiresAt, limit } = options;
    return this.db.transaction(async tx => {
      // Due and unclaimed, or held under a lease that has run out (its holder is gone or stalled).
      const candidates = tx(ENTITIES)
        .select('entity_ref')
        .where(due =>
          due
            .where(fresh =>
              fresh
                .whereNull('claimed_by')
                .whereNotNull('scan_requested_at')
                .andWhere(inner =>
                  inner
                    .whereNull('last_scan_started_at')
                    .orWhereRaw('?? > ??', [
                      'scan_requested_at',
                      'last_scan_started_at',
                    ]),
                ),
            )
            .orWhere(expired =>
              expired
                .whereNotNull('claimed_by')
                .where('claim_expires_at', '<', now),
            ),
        )
        .orderBy('scan_requested_at')
        .limit(limit);
      // PostgreSQL: rows another replica is claiming right now are skipped, not waited for. SQLite
      // runs one writer at a time, so the statement is atomic there anyway.
      if (this.isPostgres) candidates.forUpdate().skipLocked();
      const rows: any[] = await tx(ENTITIES)
        .whereIn('entity_ref', candidates)
        .update({
          claimed_by: worker,
          claim_expires_at: claimExpiresAt,
          last_scan_started_at: now,
        })
        .returning('*');
      if (rows.length === 0) return [];
      rows.sort((a, b) =>
        String(a.entity_ref).localeCompare(String(b.entity_ref)),
      );

      const refs = rows.map(row => row.entity_ref as string);
      const queued: any[] = await tx(SCAN_RUNS)
        .whereIn('entity_ref', refs)
        .where('status', 'queued')
        .select('id', 'entity_ref')
        .orderBy('id');
      const queuedByRef = new Map<string, string[]>();
      for (const run of queued)
        queuedByRef.set(run.entity_ref, [
          ...(queuedByRef.get(run.entity_ref) ?? []),
          run.id,
        ]);
      if (queued.length > 0) {
        await tx(SCAN_RUNS)
          .whereIn(
            'id',
            queued.map(run => run.id),
          )
          .update({ status: 'running', started_at: now, worker });
      }

      const claimed: ClaimedEntity[] = [];
      const inserts: Record<string, unknown>[] = [];
      for (const row of rows) {
        const entity = entityFromRow(row);
        const [runId, ...otherRunIds] = queuedByRef.get(entity.entityRef) ?? [];
        if (runId) {
          claimed.push({ ...entity, runId, otherRunIds, trigger: 'manual' });
          continue;
        }
        const id = randomUUID();
        inserts.push({
          id,
          entity_ref: row.entity_ref,
          entity_owner: row.entity_owner,
          trigger: 'schedule',
          status: 'running',
          started_at: now,
          targets: '[]',
          worker,
        });
        claimed.push({
          ...entity,
          runId: id,
          otherRunIds: [],
          trigger: 'schedule',
        });
      }
      for (let i = 0; i < inserts.length; i += INSERT_CHUNK)
        await tx(SCAN_RUNS).insert(inserts.slice(i, i + INSERT_CHUNK));
      return claimed;
    });
  }

  async renewClaims(
    worker: string,
    entityRefs: string[],
    claimExpiresAt: string,
  ): Promise<number> {
    let renewed = 0;
    for (let i = 0; i < entityRefs.length; i += INSERT_CHUNK) {
      renewed += await this.db(ENTITIES)
        .where('claimed_by', worker)
        .whereIn('entity_ref', entityRefs.slice(i, i + INSERT_CHUNK))
        .update({ claim_expires_at: claimExpiresAt });
    }
    return renewed;
  }

  async releaseClaim(
    entityRef: string,
    worker: string,
    update: {
      targetDigests?: Record<string, string>;
      lastScanId?: string;
      lastScannedAt?: string;
      scanError?: string | null;
    },
  ): Promise<boolean> {
    const updated = await this.db(ENTITIES)
      .where({ entity_ref: entityRef, claimed_by: worker })
      .update({
        claimed_by: null,
        claim_expires_at: null,
        ...(update.targetDigests
          ? { target_digests: storableJson(update.targetDigests) }
          : {}),
        ...(update.lastScanId ? { last_scan_id: update.lastScanId } : {}),
        ...(update.lastScannedAt
          ? { last_scanned_at: update.lastScannedAt }
          : {}),
        ...(update.scanError !== undefined
          ? {
              scan_error:
                update.scanError === null
                  ? null
                  : storableText(update.scanError),
            }
          : {}),
      });
    return updated === 1;
  }

  async finishUnchangedScans(
    worker: string,
    finishedAt: string,
    scans: {
      entityRef: string;
      runIds: string[];
      targets: ScanTargetResult[];
      decision?: ReleaseDecision;
      counts: SeverityCounts;
    }[],
  ): Promise<string[]> {
    const finished: string[] = [];
    for (let i = 0; i < scans.length; i += INSERT_CHUNK) {
      const chunk = scans.slice(i, i + INSERT_CHUNK);
      // One statement per chunk: CASE picks each entity's own run id (portable to both engines).
      const lastScanId = this.caseOf(
        'entity_ref',
        chunk.map(scan => [scan.entityRef, scan.runIds[0]]),
      );
      const rows: any[] = await this.db(ENTITIES)
        .where('claimed_by', worker)
        .whereIn(
          'entity_ref',
          chunk.map(scan => scan.entityRef),
        )
        .update({
          claimed_by: null,
          claim_expires_at: null,
          last_scanned_at: finishedAt,
          scan_error: null,
          last_scan_id: lastScanId,
        })
        .returning('entity_ref');
      const held = new Set(rows.map(row => row.entity_ref as string));
      const runs = chunk
        .filter(scan => held.has(scan.entityRef))
        .flatMap(scan => scan.runIds.map(id => ({ id, scan })));
      if (runs.length > 0) {
        await this.db(SCAN_RUNS)
          .whereIn(
            'id',
            runs.map(run => run.id),
          )
          .update({
            status: 'succeeded',
            finished_at: finishedAt,
            targets: this.caseOf(
              'id',
              runs.map(run => [run.id, storableJson(run.scan.targets)]),
            ),
            decision: this.caseOf(
              'id',
              runs.map(run => [run.id, run.scan.decision ?? null]),
            ),
            counts: this.caseOf(
              'id',
              runs.map(run => [run.id, storableJson(run.scan.counts)]),
            ),
          });
      }
      const lost = chunk
        .filter(scan => !held.has(scan.entityRef))
        .flatMap(scan => scan.runIds);
      if (lost.length > 0) {
        await this.db(SCAN_RUNS).whereIn('id', lost).update({
          status: 'failed',
          finished_at: finishedAt,
          error:
            'lease lost: another replica took this entity over and scans it again',
        });
      }
      finished.push(...held);
    }
    return finished;
  }

  async releaseClaims(
    worker: string,
    lastScannedAt: string,
    items: {
      entityRef: string;
      targetDigests: Record<string, string>;
      lastScanId: string;
    }[],
  ): Promise<string[]> {
    const held: string[] = [];
    for (let i = 0; i < items.length; i += INSERT_CHUNK) {
      const chunk = items.slice(i, i + INSERT_CHUNK);
      const rows: any[] = await this.db(ENTITIES)
        .where('claimed_by', worker)
        .whereIn(
          'entity_ref',
          chunk.map(item => item.entityRef),
        )
        .update({
          claimed_by: null,
          claim_expires_at: null,
          last_scanned_at: lastScannedAt,
          scan_error: null,
          last_scan_id: this.caseOf(
            'entity_ref',
            chunk.map(item => [item.entityRef, item.lastScanId]),
          ),
          target_digests: this.caseOf(
            'entity_ref',
            chunk.map(item => [
              item.entityRef,
              storableJson(item.targetDigests),
            ]),
          ),
        })
        .returning('entity_ref');
      held.push(...rows.map(row => row.entity_ref as string));
    }
    return held;
  }

  async markAbandonedRuns(now: string): Promise<number> {
    return this.db(SCAN_RUNS)
      .where('status', 'running')
      .whereNotExists(holder =>
        holder
          .select(this.db.raw('1'))
          .from(ENTITIES)
          .whereRaw('??.?? = ??.??', [
            ENTITIES,
            'entity_ref',
            SCAN_RUNS,
            'entity_ref',
          ])
          .whereRaw('??.?? = ??.??', [
            ENTITIES,
            'claimed_by',
            SCAN_RUNS,
            'worker',
          ])
          .where(`${ENTITIES}.claim_expires_at`, '>=', now),
      )
      .update({ status: 'failed', finished_at: now, error: ABANDONED });
  }
}
