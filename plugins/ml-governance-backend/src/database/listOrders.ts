import type { FindingsQuery } from '@ml-governance/plugin-ml-governance-common';
import type { AcceptanceFilter } from './MlGovernanceStore';
import { cursorScope, type KeysetColumn } from './keyset';

/**
 * The total order of every paged list (what its cursor holds), each ending in the row's unique id.
 * Indexes that serve them: migrations/20261204000000_finding_counters.js.
 */

const FINDING_SORT: Record<
  NonNullable<FindingsQuery['orderBy']>,
  { column: string; type: KeysetColumn['type'] }
> = {
  severity: { column: 'severity_rank', type: 'number' },
  firstSeenAt: { column: 'first_seen_at', type: 'string' },
  lastSeenAt: { column: 'last_seen_at', type: 'string' },
  ruleId: { column: 'rule_id', type: 'string' },
  path: { column: 'path', type: 'string' },
};

export function findingsKeyset(entityRef: string, query: FindingsQuery) {
  const sort = FINDING_SORT[query.orderBy ?? 'severity'];
  const order =
    query.order ??
    (query.orderBy === undefined || query.orderBy === 'severity'
      ? 'desc'
      : 'asc');
  const columns: KeysetColumn[] = [
    { ...sort, order },
    { column: 'first_seen_at', order: 'asc', type: 'string' },
    { column: 'id', order: 'asc', type: 'string' },
  ];
  const { status, severity, ruleId, q, orderBy } = query;
  return {
    columns,
    scope: cursorScope('findings', [
      entityRef,
      status,
      severity,
      ruleId,
      q,
      orderBy,
      order,
    ]),
  };
}

/** Newest first; queued runs (not started yet) ahead of all, on SQLite and PostgreSQL alike. */
export const SCAN_RUN_STARTED_SORT = "COALESCE(started_at, '~')";

export function scanRunsKeyset(entityRef: string) {
  const columns: KeysetColumn[] = [
    {
      column: 'sort_started_at',
      sql: SCAN_RUN_STARTED_SORT,
      order: 'desc',
      type: 'string',
    },
    { column: 'id', order: 'desc', type: 'string' },
  ];
  return { columns, scope: cursorScope('scans', [entityRef]) };
}

export function acceptancesKeyset(filter: AcceptanceFilter) {
  const columns: KeysetColumn[] = [
    { column: 'requested_at', order: 'desc', type: 'string' },
    { column: 'id', order: 'asc', type: 'string' },
  ];
  return {
    columns,
    scope: cursorScope('acceptances', [
      filter.entityRef,
      filter.status,
      filter.requestedBy,
      filter.notRequestedBy,
    ]),
  };
}

export function teamEntitiesKeyset(owner: string) {
  const columns: KeysetColumn[] = [
    { column: 'entity_ref', order: 'asc', type: 'string' },
  ];
  return { columns, scope: cursorScope('team-entities', [owner]) };
}
