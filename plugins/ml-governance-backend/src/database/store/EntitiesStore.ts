import type { Knex } from 'knex';
import {
  SEVERITIES,
  type ReleaseDecision,
  type SeverityCounts,
} from '@ml-governance/plugin-ml-governance-common';
import type {
  CursorPage,
  EntityRecord,
  EntityState,
  MlGovernanceStore,
  PageRequest,
  TeamEntity,
} from '../MlGovernanceStore';
import {
  countsToRow,
  entityFromRow,
  TEAM_ENTITY_COLUMNS,
  teamEntityFromRow,
} from './rows';
import { ENTITIES, INSERT_CHUNK, StoreModule } from './StoreModule';
import { FindingCountersStore } from '../FindingCountersStore';
import { teamEntitiesKeyset } from '../listOrders';
import { keysetPage } from '../keyset';
import { storableJson, storableRow, storableText } from '../storableText';

/** Entities as synced from the catalog, their scan requests and their stored decisions. */
export type EntityCatalogStore = Pick<
  MlGovernanceStore,
  | 'upsertEntities'
  | 'removeEntitiesNotSyncedSince'
  | 'getEntity'
  | 'listEntities'
  | 'listTeamEntities'
  | 'requestScan'
  | 'markCiScan'
  | 'setEntityDecisions'
  | 'setEntityDecision'
  | 'markEntityScanError'
>;

/** The knex implementation of {@link EntityCatalogStore}. */
export class EntitiesStore extends StoreModule implements EntityCatalogStore {
  async upsertEntities(
    records: EntityRecord[],
    syncedAt: string,
  ): Promise<void> {
    for (let i = 0; i < records.length; i += INSERT_CHUNK) {
      const chunk = records.slice(i, i + INSERT_CHUNK);
      await this.db.transaction(tx =>
        new EntitiesStore(this.within(tx)).upsertEntityChunk(chunk, syncedAt),
      );
    }
  }

  /** One chunk of a sync; teams whose membership changed are recounted with it. */
  private async upsertEntityChunk(
    chunk: EntityRecord[],
    syncedAt: string,
  ): Promise<void> {
    const before = await this.counters.ownersOf(chunk.map(r => r.entityRef));
    const rows = chunk.map(record =>
      storableRow({
        entity_ref: record.entityRef,
        entity_kind: record.kind,
        entity_owner: record.owner ?? null,
        policy_name: record.policyName ?? null,
        targets: storableJson(record.targets),
        declared_targets: storableJson(record.declaredTargets ?? {}),
        pinned_hashes: storableJson(record.pinnedHashes),
        entity_lifecycle: record.lifecycle ?? null,
        entity_type: record.type ?? null,
        synced_at: syncedAt,
      }),
    );
    await this.db(ENTITIES)
      .insert(rows)
      .onConflict('entity_ref')
      .merge([
        'entity_kind',
        'entity_owner',
        'policy_name',
        'targets',
        'declared_targets',
        'pinned_hashes',
        'entity_lifecycle',
        'entity_type',
        'synced_at',
      ]);
    // New (or returning: their findings were kept) entities are counted; teams that gained or lost one too.
    const added = chunk.filter(r => !before.has(r.entityRef));
    const moved = chunk.filter(
      r =>
        before.has(r.entityRef) && before.get(r.entityRef) !== (r.owner ?? ''),
    );
    await this.counters.refreshEntities(
      added.map(r => r.entityRef),
      moved.flatMap(r => [r.owner ?? '', before.get(r.entityRef)!]),
    );
  }

  async removeEntitiesNotSyncedSince(syncedAt: string): Promise<number> {
    return this.db.transaction(async tx => {
      const gone = await tx(ENTITIES)
        .where('synced_at', '<', syncedAt)
        .select('entity_ref', 'entity_owner');
      const removed = await tx(ENTITIES)
        .where('synced_at', '<', syncedAt)
        .delete();
      await new FindingCountersStore(tx, this.isPostgres).forgetEntities(
        gone.map(row => row.entity_ref),
        gone.map(row => row.entity_owner ?? ''),
      );
      return removed;
    });
  }

  async listTeamEntities(
    owner: string,
    page: PageRequest,
  ): Promise<CursorPage<TeamEntity>> {
    const { rows, nextCursor } = await keysetPage(
      this.db(ENTITIES)
        .where('entity_owner', owner)
        .select(TEAM_ENTITY_COLUMNS),
      { ...teamEntitiesKeyset(owner), ...page },
    );
    return { items: rows.map(teamEntityFromRow), nextCursor };
  }

  async getEntity(entityRef: string): Promise<EntityState | undefined> {
    const row = await this.db(ENTITIES).where('entity_ref', entityRef).first();
    return row ? entityFromRow(row) : undefined;
  }

  async listEntities(
    filter: { owner?: string; entityRefs?: string[] } = {},
  ): Promise<EntityState[]> {
    const query = this.db(ENTITIES).orderBy('entity_ref');
    if (filter.owner) query.where('entity_owner', filter.owner);
    if (filter.entityRefs) query.whereIn('entity_ref', filter.entityRefs);
    return (await query).map(entityFromRow);
  }

  async requestScan(
    at: string,
    entityRefs?: string[],
    options: { ciFreshSince?: string } = {},
  ): Promise<void> {
    const query = this.db(ENTITIES).update({ scan_requested_at: at });
    if (entityRefs) query.whereIn('entity_ref', entityRefs);
    const { ciFreshSince } = options;
    if (ciFreshSince) {
      query.where(q =>
        q
          .whereNull('last_ci_scan_at')
          .orWhere('last_ci_scan_at', '<', ciFreshSince),
      );
    }
    await query;
  }

  async markCiScan(
    entityRef: string,
    at: string,
    scanId: string,
  ): Promise<void> {
    await this.db(ENTITIES).where('entity_ref', entityRef).update({
      last_ci_scan_at: at,
      last_scanned_at: at,
      last_scan_id: scanId,
      scan_error: null,
    });
  }

  async setEntityDecisions(
    items: {
      entityRef: string;
      decision: ReleaseDecision | null;
      counts: SeverityCounts;
      acceptedCount: number;
    }[],
  ): Promise<void> {
    await this.db.transaction(tx =>
      new EntitiesStore(this.within(tx)).writeEntityDecisions(items),
    );
  }

  private async writeEntityDecisions(
    items: Parameters<MlGovernanceStore['setEntityDecisions']>[0],
  ): Promise<void> {
    for (let i = 0; i < items.length; i += INSERT_CHUNK) {
      const chunk = items.slice(i, i + INSERT_CHUNK);
      const byRef = (
        value: (item: (typeof chunk)[number]) => string | number | null,
        type: 'text' | 'integer',
      ) =>
        this.caseOf(
          'entity_ref',
          chunk.map(item => [item.entityRef, value(item)]),
          type,
        );
      await this.db(ENTITIES)
        .whereIn(
          'entity_ref',
          chunk.map(item => item.entityRef),
        )
        .update({
          decision: byRef(item => item.decision, 'text'),
          accepted_count: byRef(item => item.acceptedCount, 'integer'),
          ...Object.fromEntries(
            SEVERITIES.map(severity => [
              `open_${severity}`,
              byRef(item => item.counts[severity], 'integer'),
            ]),
          ),
        });
    }
    await this.counters.refreshEntities(items.map(item => item.entityRef));
  }

  async markEntityScanError(
    entityRef: string,
    worker: string,
    scanError: string,
  ): Promise<void> {
    await this.updateEntityWithCounters(entityRef, async db =>
      db(ENTITIES)
        .where('entity_ref', entityRef)
        .andWhere(inner =>
          inner.where('claimed_by', worker).orWhereNull('claimed_by'),
        )
        .update({
          decision: null,
          scan_error: storableText(scanError),
          claimed_by: null,
          claim_expires_at: null,
        }),
    );
  }

  /** Runs an update of an entity's decision and recounts its counters, in one transaction. */
  private async updateEntityWithCounters(
    entityRef: string,
    update: (db: Knex) => Promise<unknown>,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await update(tx);
      await new FindingCountersStore(tx, this.isPostgres).refreshEntities([
        entityRef,
      ]);
    });
  }

  async setEntityDecision(
    entityRef: string,
    state: {
      decision: ReleaseDecision | null;
      counts: SeverityCounts;
      acceptedCount: number;
    },
  ): Promise<void> {
    await this.updateEntityWithCounters(entityRef, db =>
      db(ENTITIES)
        .where('entity_ref', entityRef)
        .update({
          decision: state.decision,
          accepted_count: state.acceptedCount,
          ...countsToRow(state.counts),
        }),
    );
  }
}
