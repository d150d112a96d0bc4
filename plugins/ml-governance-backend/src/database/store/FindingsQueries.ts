import type {
  Finding,
  FindingsQuery,
  Page,
  Severity,
  SeverityCounts,
} from '@ml-governance/plugin-ml-governance-common';
import type { MlGovernanceStore } from '../MlGovernanceStore';
import { emptyCounts, findingFromRow } from './rows';
import { FINDINGS, INSERT_CHUNK, StoreModule } from './StoreModule';
import { findingsKeyset } from '../listOrders';
import { keysetPage } from '../keyset';
import { likePattern } from '../storableText';

/** Reads of findings: an entity's pages, the decision's and gate's inputs, and cross-entity lists. */
export type FindingQueryStore = Pick<
  MlGovernanceStore,
  | 'listUnresolvedFindingsFor'
  | 'listUnresolvedFindings'
  | 'countOpenBySeverity'
  | 'listFindings'
  | 'listOpenFindings'
  | 'getFinding'
  | 'oldestOpenFindings'
  | 'listOpenFindingsByRule'
  | 'listFindingsOpenSince'
>;

/** The knex implementation of {@link FindingQueryStore}. */
export class FindingsQueries extends StoreModule implements FindingQueryStore {
  async listUnresolvedFindingsFor(entityRefs: string[]): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (let i = 0; i < entityRefs.length; i += INSERT_CHUNK) {
      const rows = await this.db(FINDINGS)
        .whereIn('entity_ref', entityRefs.slice(i, i + INSERT_CHUNK))
        .whereIn('status', ['open', 'accepted'])
        .orderBy([
          { column: 'entity_ref' },
          { column: 'severity_rank', order: 'desc' },
          { column: 'first_seen_at', order: 'asc' },
        ]);
      findings.push(...rows.map(findingFromRow));
    }
    return findings;
  }

  async listUnresolvedFindings(entityRef: string): Promise<Finding[]> {
    const rows = await this.db(FINDINGS)
      .where('entity_ref', entityRef)
      .whereIn('status', ['open', 'accepted'])
      .orderBy([
        { column: 'severity_rank', order: 'desc' },
        { column: 'first_seen_at', order: 'asc' },
      ]);
    return rows.map(findingFromRow);
  }

  async countOpenBySeverity(
    entityRef: string,
  ): Promise<{ open: SeverityCounts; accepted: number }> {
    const rows = await this.db(FINDINGS)
      .where('entity_ref', entityRef)
      .whereIn('status', ['open', 'accepted'])
      .select('status', 'severity')
      .count({ count: '*' })
      .groupBy('status', 'severity');
    const open = emptyCounts();
    let accepted = 0;
    for (const row of rows as any[]) {
      if (row.status === 'open')
        open[row.severity as Severity] += Number(row.count);
      else accepted += Number(row.count);
    }
    return { open, accepted };
  }

  async listFindings(
    entityRef: string,
    query: FindingsQuery,
  ): Promise<Page<Finding>> {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    const base = this.db(FINDINGS).where('entity_ref', entityRef);
    if (query.status?.length) base.whereIn('status', query.status);
    if (query.severity?.length) base.whereIn('severity', query.severity);
    if (query.ruleId) base.where('rule_id', query.ruleId);
    if (query.q) {
      const pattern = likePattern(query.q);
      base.where(inner => {
        for (const column of [
          'rule_id',
          'title',
          'message',
          'path',
          'evidence',
        ]) {
          inner.orWhereRaw(`LOWER(??) LIKE ? ESCAPE '\\'`, [column, pattern]);
        }
      });
    }
    const [{ count }] = (await base.clone().count({ count: '*' })) as any[];
    const { rows, nextCursor } = await keysetPage(base, {
      ...findingsKeyset(entityRef, query),
      limit,
      offset,
      cursor: query.cursor,
    });
    return {
      items: rows.map(findingFromRow),
      totalCount: Number(count),
      offset,
      limit,
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  async listOpenFindings(
    entityRef: string,
    minSeverityRank: number,
  ): Promise<Finding[]> {
    const rows = await this.db(FINDINGS)
      .where({ entity_ref: entityRef, status: 'open' })
      .where('severity_rank', '>=', minSeverityRank)
      .orderBy([
        { column: 'severity_rank', order: 'desc' },
        { column: 'first_seen_at', order: 'asc' },
      ]);
    return rows.map(findingFromRow);
  }

  async getFinding(
    entityRef: string,
    fingerprint: string,
  ): Promise<Finding | undefined> {
    const row = await this.db(FINDINGS)
      .where({ entity_ref: entityRef, fingerprint })
      .first();
    return row ? findingFromRow(row) : undefined;
  }

  async oldestOpenFindings(owner: string, limit: number): Promise<Finding[]> {
    const rows = await this.db(FINDINGS)
      .where({ entity_owner: owner, status: 'open' })
      .orderBy([
        { column: 'first_seen_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(findingFromRow);
  }

  async listOpenFindingsByRule(
    ruleIds: string[],
  ): Promise<(Finding & { entityOwner?: string })[]> {
    if (ruleIds.length === 0) return [];
    const rows = await this.db(FINDINGS)
      .whereIn('rule_id', ruleIds)
      .where('status', 'open')
      .orderBy([{ column: 'entity_ref' }, { column: 'first_seen_at' }]);
    return rows.map(findingFromRow);
  }

  async listFindingsOpenSince(
    before: string,
    limit: number,
  ): Promise<(Finding & { entityOwner?: string })[]> {
    const rows = await this.db(FINDINGS)
      .where('status', 'open')
      .where('first_seen_at', '<', before)
      .orderBy([{ column: 'first_seen_at' }, { column: 'id' }])
      .limit(limit);
    return rows.map(findingFromRow);
  }
}
