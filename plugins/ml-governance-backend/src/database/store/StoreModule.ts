import type { Knex } from 'knex';
import { FindingCountersStore } from '../FindingCountersStore';

export const ENTITIES = 'mlgov_entities';
export const SCAN_RUNS = 'mlgov_scan_runs';
export const FINDINGS = 'mlgov_findings';
export const ACCEPTANCES = 'mlgov_acceptances';
export const EVENTS = 'mlgov_acceptance_events';
export const HISTORY = 'mlgov_decision_history';
export const REPORTS = 'mlgov_report_snapshots';

/** Rows per multi-row insert: keeps well under SQLite's bound-parameter limit. */
export const INSERT_CHUNK = 100;

/** The connection (or transaction) a store module works on, and its engine. */
export interface StoreContext {
  readonly db: Knex;
  readonly isPostgres: boolean;
}

export function storeContext(db: Knex): StoreContext {
  return {
    db,
    isPostgres: ['pg', 'postgres', 'postgresql'].includes(
      String(db.client.config.client),
    ),
  };
}

/**
 * What every module of the store shares: the connection or transaction it was made for, the
 * counters over the same connection, and the portable bulk-update helper.
 */
export abstract class StoreModule {
  constructor(protected readonly context: StoreContext) {}

  protected get db(): Knex {
    return this.context.db;
  }

  protected get isPostgres(): boolean {
    return this.context.isPostgres;
  }

  /** The same engine over a transaction. */
  protected within(tx: Knex): StoreContext {
    return { db: tx, isPostgres: this.isPostgres };
  }

  /** Counters maintained on write, over the same connection or transaction as this store. */
  protected get counters(): FindingCountersStore {
    return new FindingCountersStore(this.db, this.isPostgres);
  }

  /** `CASE column WHEN key THEN value … END`, bound: one value per row in a single UPDATE. */
  protected caseOf(
    column: string,
    pairs: [string, string | number | null][],
    pgType: 'text' | 'integer' = 'text',
  ): Knex.Raw {
    const whens = pairs.map(() => 'WHEN ? THEN ?').join(' ');
    // PostgreSQL cannot infer the type of bound THEN values; SQLite keeps the bound types.
    const cast = this.isPostgres ? `::${pgType}` : '';
    return this.db.raw(`(CASE ?? ${whens} END)${cast}`, [
      column,
      ...pairs.flatMap(([key, value]) => [key, value]),
    ]);
  }
}
