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
      await this.db(HISTORY)
        .insert(rows)
        .onConflict(['entity_ref', 'day'])
        .merge([
          'entity_owner',
          'decision',
          ...SEVERITIES.map(s => `open_${s}`),
        ]);
    }
  }

  async teamTrend(owner: string, sinceDay: string): Promise<TeamTrendPoint[]> {
    const rows: any[] = await this.db(HISTORY)
      .where('entity_owner', owner)
      .where('day', '>=', sinceDay)
      .select('day')
      .sum(Object.fromEntries(SEVERITIES.map(s => [s, `open_${s}`])))
      .select(
        this.db.raw(
          "SUM(CASE WHEN decision = 'BLOCK' THEN 1 ELSE 0 END) AS blocked",
        ),
      )
      .groupBy('day')
      .orderBy('day');
    return rows.map(row => ({
      date: row.day,
      open: Object.fromEntries(
        SEVERITIES.map(s => [s, Number(row[s] ?? 0)]),
      ) as SeverityCounts,
      blockedEntities: Number(row.blocked ?? 0),
    }));
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
