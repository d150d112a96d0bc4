import type { Knex } from 'knex';
import {
  SEVERITIES,
  type TeamTrendPoint,
} from '@ml-governance/plugin-ml-governance-common';
import { storableText } from './storableText';

const HISTORY = 'mlgov_decision_history';
const TEAM_HISTORY = 'mlgov_team_history';

/** Rows per IN list: well under SQLite's bound-parameter limit. */
const CHUNK = 100;

/** Entities without an owner are recorded under '' (as the team counters key them). */
const NO_OWNER = '';

/** One team's day: what the trend of its dashboard shows. */
export interface TeamDay {
  owner: string;
  day: string;
}

function dayKey({ owner, day }: TeamDay): string {
  return `${day}\u0000${owner}`;
}

/**
 * The team trend, maintained on write: per owner and day, the open findings and blocked entities
 * summed from `mlgov_decision_history`.
 *
 * Like the counters, every change is a **recount of the touched (owner, day) keys from the history
 * rows, in the caller's transaction**: the keys the write records and the keys its rows had before
 * (an entity that moved teams during the day leaves the old team's day). On PostgreSQL the rollup
 * rows are created first and locked in key order, so of two writers on the same day the one that
 * commits last recounts after the other's commit; SQLite has one writer at a time.
 */
export class TeamHistoryRollup {
  constructor(
    private readonly db: Knex,
    private readonly isPostgres: boolean,
  ) {}

  /** The (owner, day) keys these history rows have now, before a write replaces them. */
  async keysOf(rows: { entityRef: string; day: string }[]): Promise<TeamDay[]> {
    const byDay = new Map<string, string[]>();
    for (const row of rows) {
      // As stored: refs with NUL or lone surrogates are written escaped (storableText).
      const entityRef = storableText(row.entityRef);
      const day = storableText(row.day);
      const refs = byDay.get(day);
      if (refs) refs.push(entityRef);
      else byDay.set(day, [entityRef]);
    }
    const keys: TeamDay[] = [];
    for (const [day, refs] of byDay) {
      for (let i = 0; i < refs.length; i += CHUNK) {
        const found = await this.db(HISTORY)
          .where('day', day)
          .whereIn('entity_ref', refs.slice(i, i + CHUNK))
          .distinct('entity_owner');
        for (const row of found)
          keys.push({ owner: row.entity_owner ?? NO_OWNER, day });
      }
    }
    return keys;
  }

  /** Recounts these teams' days from the history rows; a day with no row left goes. */
  async refresh(keys: TeamDay[]): Promise<void> {
    const unique = [
      ...new Map(keys.map(key => [dayKey(key), key])).values(),
    ].sort((a, b) => (dayKey(a) < dayKey(b) ? -1 : 1));
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      await this.db(TEAM_HISTORY)
        .insert(chunk.map(({ owner, day }) => ({ owner, day })))
        .onConflict(['owner', 'day'])
        .ignore();
      if (this.isPostgres)
        await this.whereKeys(this.db(TEAM_HISTORY), chunk, 'owner')
          .orderBy(['day', 'owner'])
          .select('owner')
          .forUpdate();
      const counted = new Map<string, any>();
      const rows: any[] = await this.whereKeys(
        this.db(HISTORY),
        chunk,
        'entity_owner',
      )
        .select(this.db.raw(`COALESCE(entity_owner, '') AS owner_key`), 'day')
        .sum(
          Object.fromEntries(SEVERITIES.map(s => [`open_${s}`, `open_${s}`])),
        )
        .select(
          this.db.raw(
            "SUM(CASE WHEN decision = 'BLOCK' THEN 1 ELSE 0 END) AS blocked_entities",
          ),
        )
        .groupByRaw(`COALESCE(entity_owner, ''), day`);
      for (const row of rows)
        counted.set(dayKey({ owner: row.owner_key, day: row.day }), row);
      for (const key of chunk) {
        const row = counted.get(dayKey(key));
        const target = this.db(TEAM_HISTORY).where(key);
        if (!row) await target.delete();
        else
          await target.update({
            ...Object.fromEntries(
              SEVERITIES.map(s => [`open_${s}`, Number(row[`open_${s}`] ?? 0)]),
            ),
            blocked_entities: Number(row.blocked_entities ?? 0),
          });
      }
    }
  }

  /** The repair path: rebuilds the whole rollup from the history table. */
  async recountAll(): Promise<void> {
    await this.db(TEAM_HISTORY).delete();
    const keys: any[] = await this.db(HISTORY).distinct('entity_owner', 'day');
    await this.refresh(
      keys.map(row => ({ owner: row.entity_owner ?? NO_OWNER, day: row.day })),
    );
  }

  async trend(owner: string, sinceDay: string): Promise<TeamTrendPoint[]> {
    const rows: any[] = await this.db(TEAM_HISTORY)
      .where('owner', owner)
      .where('day', '>=', sinceDay)
      .orderBy('day');
    return rows.map(row => ({
      date: row.day,
      open: Object.fromEntries(
        SEVERITIES.map(s => [s, Number(row[`open_${s}`])]),
      ) as TeamTrendPoint['open'],
      blockedEntities: Number(row.blocked_entities),
    }));
  }

  /** `(owner, day)` is one of these keys, the owner in `ownerColumn` (NULL standing for ''). */
  private whereKeys(
    query: Knex.QueryBuilder,
    keys: TeamDay[],
    ownerColumn: string,
  ): Knex.QueryBuilder {
    return query.where(outer => {
      for (const { owner, day } of keys)
        outer.orWhere(inner => {
          inner.where('day', day);
          if (owner === NO_OWNER && ownerColumn === 'entity_owner')
            inner.where(none =>
              none.whereNull(ownerColumn).orWhere(ownerColumn, NO_OWNER),
            );
          else inner.where(ownerColumn, owner);
        });
    });
  }
}
