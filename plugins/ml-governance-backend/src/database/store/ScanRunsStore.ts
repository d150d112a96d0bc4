import type {
  ReleaseDecision,
  ScanRun,
  ScanTargetResult,
  SeverityCounts,
} from '@ml-governance/plugin-ml-governance-common';
import type {
  CursorPage,
  MlGovernanceStore,
  PageRequest,
} from '../MlGovernanceStore';
import { scanRunFromRow, scanRunColumns } from './rows';
import { SCAN_RUNS, INSERT_CHUNK, StoreModule } from './StoreModule';
import { SCAN_RUN_STARTED_SORT, scanRunsKeyset } from '../listOrders';
import { keysetPage } from '../keyset';
import { storableJson, storableRow, storableText } from '../storableText';

/** Scan runs: their rows, updates and the keyset-paged history of an entity. */
export type ScanRunStore = Pick<
  MlGovernanceStore,
  | 'insertScanRun'
  | 'updateScanRun'
  | 'updateScanRuns'
  | 'finishScanRuns'
  | 'listScanRuns'
  | 'getScanRun'
>;

/** The knex implementation of {@link ScanRunStore}. */
export class ScanRunsStore extends StoreModule implements ScanRunStore {
  async finishScanRuns(
    finishedAt: string,
    items: {
      runIds: string[];
      status: 'succeeded' | 'failed';
      targets: ScanTargetResult[];
      decision?: ReleaseDecision;
      counts?: SeverityCounts;
      error?: string;
    }[],
  ): Promise<void> {
    const runs = items.flatMap(item => item.runIds.map(id => ({ id, item })));
    for (let i = 0; i < runs.length; i += INSERT_CHUNK) {
      const chunk = runs.slice(i, i + INSERT_CHUNK);
      const byId = (value: (item: (typeof items)[number]) => string | null) =>
        this.caseOf(
          'id',
          chunk.map(run => [run.id, value(run.item)]),
        );
      await this.db(SCAN_RUNS)
        .whereIn(
          'id',
          chunk.map(run => run.id),
        )
        .update({
          finished_at: finishedAt,
          status: byId(item => item.status),
          targets: byId(item => storableJson(item.targets)),
          decision: byId(item => item.decision ?? null),
          counts: byId(item =>
            item.counts ? storableJson(item.counts) : null,
          ),
          error: byId(item =>
            item.error === undefined ? null : storableText(item.error),
          ),
        });
    }
  }

  async insertScanRun(run: ScanRun & { entityOwner?: string }): Promise<void> {
    await this.db(SCAN_RUNS).insert(
      storableRow({
        id: run.id,
        entity_ref: run.entityRef,
        entity_owner: run.entityOwner ?? null,
        trigger: run.trigger,
        status: run.status,
        requested_by: run.requestedBy ?? null,
        started_at: run.startedAt ?? null,
        finished_at: run.finishedAt ?? null,
        decision: run.decision ?? null,
        counts: run.counts ? storableJson(run.counts) : null,
        targets: storableJson(run.targets),
        error: run.error ?? null,
        commit_sha: run.provenance?.commitSha ?? null,
        run_url: run.provenance?.runUrl ?? null,
        uploaded_by: run.provenance?.uploadedBy ?? null,
      }),
    );
  }

  async updateScanRun(
    id: string,
    update: Partial<Omit<ScanRun, 'id' | 'entityRef'>>,
  ): Promise<void> {
    await this.db(SCAN_RUNS).where('id', id).update(scanRunColumns(update));
  }

  async updateScanRuns(
    ids: string[],
    update: Partial<Omit<ScanRun, 'id' | 'entityRef'>>,
  ): Promise<void> {
    const row = scanRunColumns(update);
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      await this.db(SCAN_RUNS)
        .whereIn('id', ids.slice(i, i + INSERT_CHUNK))
        .update(row);
    }
  }

  async listScanRuns(
    entityRef: string,
    page: PageRequest,
  ): Promise<CursorPage<ScanRun>> {
    const { rows, nextCursor } = await keysetPage(
      this.db(SCAN_RUNS)
        .where('entity_ref', entityRef)
        .select(
          '*',
          this.db.raw(`${SCAN_RUN_STARTED_SORT} AS sort_started_at`),
        ),
      { ...scanRunsKeyset(entityRef), ...page },
    );
    return { items: rows.map(scanRunFromRow), nextCursor };
  }

  async getScanRun(id: string): Promise<ScanRun | undefined> {
    const row = await this.db(SCAN_RUNS).where('id', id).first();
    return row ? scanRunFromRow(row) : undefined;
  }
}
