import {
  FindingsQuery,
  SEVERITIES,
  Severity,
} from '@ml-governance/plugin-ml-governance-common';
import type { FindingsFilterValues, StatusFilter } from './FindingsFilters';

export type FindingsSortField = NonNullable<FindingsQuery['orderBy']>;
export type SortOrder = NonNullable<FindingsQuery['order']>;

/** Everything that decides which findings the tab shows; it lives in the URL so a link reproduces it. */
export interface FindingsViewState {
  filters: FindingsFilterValues;
  page: number;
  pageSize: number;
  orderBy: FindingsSortField;
  order: SortOrder;
}

export const PAGE_SIZES = [25, 50, 100] as const;
const SORT_FIELDS: readonly FindingsSortField[] = [
  'severity',
  'ruleId',
  'path',
  'firstSeenAt',
  'lastSeenAt',
];
const STATUSES: readonly StatusFilter[] = [
  'open',
  'accepted',
  'resolved',
  'all',
];
/** Severity and recency read best newest/worst first; names and paths alphabetically. */
export function defaultOrder(field: FindingsSortField): SortOrder {
  return field === 'ruleId' || field === 'path' ? 'asc' : 'desc';
}

export const DEFAULT_VIEW: FindingsViewState = {
  filters: { status: 'open', severities: [], ruleId: '', search: '' },
  page: 0,
  pageSize: PAGE_SIZES[0],
  orderBy: 'severity',
  order: 'desc',
};

// A URL is user input: anything unknown falls back to the default rather than reaching the server.
const MAX_TEXT = 200;
function text(value: string | null): string {
  return (value ?? '').slice(0, MAX_TEXT);
}
function oneOf<T extends string>(
  value: string | null,
  allowed: readonly T[],
  fallback: T,
): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}
function nonNegativeInt(value: string | null, fallback: number): number {
  if (value === null || !/^\d{1,6}$/.test(value)) return fallback;
  return Number(value);
}

/** Reads the view from URL search parameters (`status`, `severity`, `rule`, `q`, `page`, `size`, `sort`, `order`). */
export function parseFindingsView(params: URLSearchParams): FindingsViewState {
  const severities = (params.get('severity') ?? '')
    .split(',')
    .filter((s): s is Severity =>
      (SEVERITIES as readonly string[]).includes(s),
    );
  const orderBy = oneOf(params.get('sort'), SORT_FIELDS, DEFAULT_VIEW.orderBy);
  const size = nonNegativeInt(params.get('size'), DEFAULT_VIEW.pageSize);
  return {
    filters: {
      status: oneOf(
        params.get('status'),
        STATUSES,
        DEFAULT_VIEW.filters.status,
      ),
      severities: [...new Set(severities)],
      ruleId: text(params.get('rule')),
      search: text(params.get('q')),
    },
    page: nonNegativeInt(params.get('page'), 0),
    pageSize: (PAGE_SIZES as readonly number[]).includes(size)
      ? size
      : DEFAULT_VIEW.pageSize,
    orderBy,
    order: oneOf(params.get('order'), ['asc', 'desc'], defaultOrder(orderBy)),
  };
}

/**
 * Writes the view back, leaving out what equals the default so links stay short, and keeping any
 * parameter that is not ours (other plugins on the page may use the query string too).
 */
export function writeFindingsView(
  view: FindingsViewState,
  current: URLSearchParams,
): URLSearchParams {
  const next = new URLSearchParams(current);
  const set = (key: string, value: string, fallback: string) => {
    if (value === fallback) next.delete(key);
    else next.set(key, value);
  };
  set('status', view.filters.status, DEFAULT_VIEW.filters.status);
  set('severity', view.filters.severities.join(','), '');
  set('rule', view.filters.ruleId, '');
  set('q', view.filters.search, '');
  set('page', String(view.page), '0');
  set('size', String(view.pageSize), String(DEFAULT_VIEW.pageSize));
  set('sort', view.orderBy, DEFAULT_VIEW.orderBy);
  set('order', view.order, defaultOrder(view.orderBy));
  return next;
}

/** The server query for a view. */
export function toFindingsQuery(view: FindingsViewState): FindingsQuery {
  const { filters } = view;
  return {
    status: filters.status === 'all' ? undefined : [filters.status],
    severity: filters.severities.length > 0 ? filters.severities : undefined,
    ruleId: filters.ruleId.trim() || undefined,
    q: filters.search.trim() || undefined,
    offset: view.page * view.pageSize,
    limit: view.pageSize,
    orderBy: view.orderBy,
    order: view.order,
  };
}

/** Clicking a column: the same column flips direction, a new one starts at its natural order. */
export function toggleSort(
  view: FindingsViewState,
  field: FindingsSortField,
): FindingsViewState {
  const flipped: SortOrder = view.order === 'asc' ? 'desc' : 'asc';
  const order = view.orderBy === field ? flipped : defaultOrder(field);
  return { ...view, orderBy: field, order, page: 0 };
}
