import type { Knex } from 'knex';
import {
  SEVERITIES,
  type EntityDecision,
  type TeamOverview,
} from '@ml-governance/plugin-ml-governance-common';
import type { TeamAggregateRow } from './MlGovernanceStore';
import { TeamHistoryRollup } from './TeamHistoryRollup';

const ENTITIES = 'mlgov_entities';
const FINDINGS = 'mlgov_findings';
const RULE_COUNTERS = 'mlgov_rule_counters';
const TEAM_COUNTERS = 'mlgov_team_counters';
const TEAM_RULE_COUNTERS = 'mlgov_team_rule_counters';

/** Rows per IN list: well under SQLite's bound-parameter limit. */
const CHUNK = 100;

/** The team of entities without an owner: stored as '', shown as 'unowned' (as before the counters). */
const NO_OWNER = '';
const UNOWNED_LABEL = 'unowned';

const DECISIONS: { column: string; decision: EntityDecision }[] = [
  { column: 'decision_block', decision: 'BLOCK' },
  { column: 'decision_ticket', decision: 'TICKET' },
  { column: 'decision_pass', decision: 'PASS' },
  { column: 'decision_unknown', decision: 'UNKNOWN' },
];

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK)
    out.push(items.slice(i, i + CHUNK));
  return out;
}

function ownerKey(owner: string | null | undefined): string {
  return owner ?? NO_OWNER;
}

/** One team's counters, recounted from the entities table (the decision and counts on each entity). */
function teamRecountQuery(db: Knex, owners: string[]) {
  return whereOwnerKey(db(ENTITIES), 'entity_owner', owners)
    .select('entity_owner')
    .count({ entity_count: '*' })
    .select(
      DECISIONS.map(({ column, decision }) =>
        db.raw(
          decision === 'UNKNOWN'
            ? `SUM(CASE WHEN decision IS NULL OR decision NOT IN ('BLOCK', 'TICKET', 'PASS') THEN 1 ELSE 0 END) AS ${column}`
            : `SUM(CASE WHEN decision = '${decision}' THEN 1 ELSE 0 END) AS ${column}`,
        ),
      ),
    )
    .sum(Object.fromEntries(SEVERITIES.map(s => [`open_${s}`, `open_${s}`])))
    .sum({ accepted_count: 'accepted_count' })
    .groupBy('entity_owner');
}

/** `entity_owner` is one of these owner keys ('' standing for none). */
function whereOwnerKey(
  query: Knex.QueryBuilder,
  column: string,
  owners: string[],
) {
  const named = owners.filter(owner => owner !== NO_OWNER);
  return query.where(inner => {
    if (named.length > 0) inner.whereIn(column, named);
    if (owners.includes(NO_OWNER)) inner.orWhereNull(column);
  });
}

/**
 * Counters maintained on write, so dashboards read a few rows instead of aggregating findings.
 *
 * Every change is a **recount of the touched keys from their source rows, in the caller's
 * transaction**, never an increment: what a counter says is what a fresh count of the committed
 * rows says, whatever crashed or retried before. Concurrent writers are ordered by row locks on
 * PostgreSQL (the entity rows the caller just updated, and the team rows locked here in key order
 * before the recount), so the writer that commits last recounts after the other's commit; SQLite
 * has one writer at a time. {@link recountAll} rebuilds everything (the repair path).
 */
export class FindingCountersStore {
  constructor(
    private readonly db: Knex,
    private readonly isPostgres: boolean,
  ) {}

  /** The owners these entities have now (keyed as stored: '' for none). */
  async ownersOf(entityRefs: string[]): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    for (const chunk of chunks(entityRefs)) {
      const rows = await this.db(ENTITIES)
        .whereIn('entity_ref', chunk)
        .select('entity_ref', 'entity_owner');
      for (const row of rows)
        owners.set(row.entity_ref, ownerKey(row.entity_owner));
    }
    return owners;
  }

  /**
   * After findings, waivers or decisions of these entities changed: recounts their rule counters
   * and their teams' counters (plus `alsoOwners`, e.g. the team an entity just left).
   */
  async refreshEntities(
    entityRefs: string[],
    alsoOwners: string[] = [],
  ): Promise<void> {
    if (entityRefs.length === 0 && alsoOwners.length === 0) return;
    const refs = [...new Set(entityRefs)].sort();
    const owners = await this.ownersOf(refs);
    for (const chunk of chunks(refs)) {
      if (this.isPostgres)
        await this.db(ENTITIES)
          .whereIn('entity_ref', chunk)
          .orderBy('entity_ref')
          .select('entity_ref')
          .forUpdate();
      await this.db(RULE_COUNTERS).whereIn('entity_ref', chunk).delete();
      // Only entities in scope are counted (one that left keeps its findings until it returns).
      const present = chunk.filter(ref => owners.has(ref));
      if (present.length === 0) continue;
      const placeholders = present.map(() => '?').join(', ');
      await this.db.raw(
        `INSERT INTO ${RULE_COUNTERS} (entity_ref, rule_id, status, title, finding_count)
         SELECT entity_ref, rule_id, status, MAX(title), COUNT(*) FROM ${FINDINGS}
         WHERE entity_ref IN (${placeholders}) AND status IN ('open', 'accepted')
         GROUP BY entity_ref, rule_id, status`,
        present,
      );
    }
    await this.refreshTeams([...owners.values(), ...alsoOwners]);
  }

  /** Entities that left: their rule counters go, their former teams are recounted. */
  async forgetEntities(entityRefs: string[], formerOwners: string[]) {
    for (const chunk of chunks(entityRefs))
      await this.db(RULE_COUNTERS).whereIn('entity_ref', chunk).delete();
    await this.refreshTeams(formerOwners);
  }

  /** Recounts the counters of these teams from the entities table; a team with no entity left goes. */
  async refreshTeams(owners: string[]): Promise<void> {
    const keys = [...new Set(owners)].sort();
    for (const chunk of chunks(keys)) {
      // The rows exist before they are locked, so the first writer of a new team is ordered too.
      await this.db(TEAM_COUNTERS)
        .insert(chunk.map(owner => ({ owner })))
        .onConflict('owner')
        .ignore();
      if (this.isPostgres)
        await this.db(TEAM_COUNTERS)
          .whereIn('owner', chunk)
          .orderBy('owner')
          .select('owner')
          .forUpdate();
      await this.recountTeamRules(chunk);
      const counted = new Map<string, any>();
      for (const row of await teamRecountQuery(this.db, chunk))
        counted.set(ownerKey(row.entity_owner), row);
      for (const owner of chunk) {
        const row = counted.get(owner);
        if (!row) {
          await this.db(TEAM_COUNTERS).where('owner', owner).delete();
          continue;
        }
        await this.db(TEAM_COUNTERS)
          .where('owner', owner)
          .update({
            entity_count: Number(row.entity_count),
            ...Object.fromEntries(
              DECISIONS.map(({ column }) => [column, Number(row[column] ?? 0)]),
            ),
            ...Object.fromEntries(
              SEVERITIES.map(s => [`open_${s}`, Number(row[`open_${s}`] ?? 0)]),
            ),
            accepted_count: Number(row.accepted_count ?? 0),
          });
      }
    }
  }

  /** The teams' open findings per rule, summed from their entities' rule counters. */
  private async recountTeamRules(owners: string[]): Promise<void> {
    await this.db(TEAM_RULE_COUNTERS).whereIn('owner', owners).delete();
    const rows: any[] = await whereOwnerKey(
      this.db(RULE_COUNTERS).join(
        ENTITIES,
        `${ENTITIES}.entity_ref`,
        `${RULE_COUNTERS}.entity_ref`,
      ),
      `${ENTITIES}.entity_owner`,
      owners,
    )
      .where(`${RULE_COUNTERS}.status`, 'open')
      .select(
        `${ENTITIES}.entity_owner as owner`,
        `${RULE_COUNTERS}.rule_id as rule_id`,
      )
      .max({ title: `${RULE_COUNTERS}.title` })
      .sum({ finding_count: `${RULE_COUNTERS}.finding_count` })
      .groupBy(`${ENTITIES}.entity_owner`, `${RULE_COUNTERS}.rule_id`);
    const counted = rows.map(row => ({
      owner: ownerKey(row.owner),
      rule_id: row.rule_id,
      title: row.title,
      finding_count: Number(row.finding_count),
    }));
    for (const chunk of chunks(counted))
      await this.db(TEAM_RULE_COUNTERS).insert(chunk);
  }

  /** The repair path: rebuilds every counter from the findings and entities tables. */
  async recountAll(): Promise<void> {
    await this.db.transaction(async tx => {
      const counters = new FindingCountersStore(tx, this.isPostgres);
      await tx(RULE_COUNTERS).delete();
      await tx(TEAM_RULE_COUNTERS).delete();
      await tx.raw(
        `INSERT INTO ${RULE_COUNTERS} (entity_ref, rule_id, status, title, finding_count)
         SELECT entity_ref, rule_id, status, MAX(title), COUNT(*) FROM ${FINDINGS}
         WHERE status IN ('open', 'accepted')
           AND entity_ref IN (SELECT entity_ref FROM ${ENTITIES})
         GROUP BY entity_ref, rule_id, status`,
      );
      const owners = (await tx(ENTITIES).distinct('entity_owner')).map(
        (row: any) => ownerKey(row.entity_owner),
      );
      const stale = (await tx(TEAM_COUNTERS).select('owner')).map(
        (row: any) => row.owner as string,
      );
      await counters.refreshTeams([...owners, ...stale]);
      await new TeamHistoryRollup(tx, this.isPostgres).recountAll();
    });
  }

  async teamOverviews(): Promise<TeamOverview[]> {
    const rows = await this.db(TEAM_COUNTERS).orderBy('owner');
    return rows.map(teamFromRow).sort((a, b) => a.owner.localeCompare(b.owner));
  }

  async teamOverview(owner: string): Promise<TeamOverview | undefined> {
    const row = await this.db(TEAM_COUNTERS).where('owner', owner).first();
    return row ? teamFromRow(row) : undefined;
  }

  /** Requested acceptances per entity, counted over the (entity_ref, status) index. */
  async requestedAcceptances(
    entityRefs: string[],
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const chunk of chunks(entityRefs)) {
      const rows: any[] = await this.db('mlgov_acceptances')
        .whereIn('entity_ref', chunk)
        .where('status', 'requested')
        .select('entity_ref')
        .count({ count: '*' })
        .groupBy('entity_ref');
      for (const row of rows) counts.set(row.entity_ref, Number(row.count));
    }
    return counts;
  }

  /** The team's most frequent open rules, from its rule counters. */
  async topRules(owner: string, limit: number): Promise<TeamAggregateRow[]> {
    const rows: any[] = await this.db(TEAM_RULE_COUNTERS)
      .where('owner', owner)
      .orderBy([
        { column: 'finding_count', order: 'desc' },
        { column: 'rule_id', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(row => ({
      ruleId: row.rule_id,
      title: row.title,
      count: Number(row.finding_count),
    }));
  }
}

function teamFromRow(row: any): TeamOverview {
  return {
    owner: row.owner === NO_OWNER ? UNOWNED_LABEL : row.owner,
    entityCount: Number(row.entity_count),
    decisions: Object.fromEntries(
      DECISIONS.map(({ column, decision }) => [decision, Number(row[column])]),
    ) as TeamOverview['decisions'],
    counts: Object.fromEntries(
      SEVERITIES.map(s => [s, Number(row[`open_${s}`])]),
    ) as TeamOverview['counts'],
  };
}
