import {
  SEVERITIES,
  type ReleaseDecision,
  type SeverityCounts,
  type StaleImportReport,
  type StaleImportReportMeta,
  type TeamTrendPoint,
} from '@ml-governance/plugin-ml-governance-common';
import type { MlGovernanceStore } from '../MlGovernanceStore';
import { parseJson, countsToRow } from './rows';
import { HISTORY, REPORTS, INSERT_CHUNK, StoreModule } from './StoreModule';
import { TeamHistoryRollup } from '../TeamHistoryRollup';
import { storableJson, storableRow } from '../storableText';

/** The daily decision history (team trends) and stored report snapshots. */
export type HistoryAndReportStore = Pick<
  MlGovernanceStore,
  | 'recordDailyDecision'
  | 'teamTrend'
  | 'insertReport'
  | 'listReports'
  | 'getReport'
>;

/** The knex implementation of {@link HistoryAndReportStore}. */
export class HistoryAndReportsStore
  extends StoreModule
  implements HistoryAndReportStore
{
  async recordDailyDecision(
    entries: {
      entityRef: string;
      owner?: string;
      day: string;
      decision: ReleaseDecision | null;
      counts: SeverityCounts;
    }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.db.transaction(async tx => {
      const rollup = new TeamHistoryRollup(tx, this.isPostgres);
      // The days these rows leave (an entity that changed teams today) are recounted too.
      const touched = await rollup.keysOf(entries);
      for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
        const rows = entries.slice(i, i + INSERT_CHUNK).map(entry =>
          storableRow({
            entity_ref: entry.entityRef,
            day: entry.day,
            entity_owner: entry.owner ?? null,
            decision: entry.decision,
            ...countsToRow(entry.counts),
          }),
        );
        await tx(HISTORY)
          .insert(rows)
          .onConflict(['entity_ref', 'day'])
          .merge([
            'entity_owner',
            'decision',
            ...SEVERITIES.map(s => `open_${s}`),
          ]);
        for (const row of rows)
          touched.push({ owner: row.entity_owner ?? '', day: row.day });
      }
      await rollup.refresh(touched);
    });
  }

  /** From the rollup maintained on write, not by summing the team's history rows on read. */
  teamTrend(owner: string, sinceDay: string): Promise<TeamTrendPoint[]> {
    return new TeamHistoryRollup(this.db, this.isPostgres).trend(
      owner,
      sinceDay,
    );
  }

  async insertReport(report: StaleImportReport): Promise<void> {
    await this.db(REPORTS).insert(
      storableRow({
        id: report.id,
        kind: 'stale-imports',
        period: report.period,
        generated_at: report.generatedAt,
        trigger: report.trigger,
        content: storableJson(report.teams),
      }),
    );
  }

  async listReports(): Promise<StaleImportReportMeta[]> {
    const rows = await this.db(REPORTS)
      .where('kind', 'stale-imports')
      .select('id', 'period', 'generated_at', 'trigger')
      .orderBy([
        { column: 'generated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return rows.map(row => ({
      id: row.id,
      period: row.period,
      generatedAt: row.generated_at,
      trigger: row.trigger,
    }));
  }

  async getReport(id: string): Promise<StaleImportReport | undefined> {
    const query = this.db(REPORTS).where('kind', 'stale-imports');
    if (id === 'latest')
      query.orderBy([
        { column: 'generated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    else query.where('id', id);
    const row = await query.first();
    if (!row) return undefined;
    return {
      id: row.id,
      period: row.period,
      generatedAt: row.generated_at,
      trigger: row.trigger,
      teams: parseJson(row.content, []),
    };
  }
}
