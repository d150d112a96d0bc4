import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import type { Knex } from 'knex';

/**
 * Keyset pagination: a page starts strictly after the last row of the previous one in the list's
 * total order (its ORDER BY always ends in a unique column), so rows inserted or removed meanwhile
 * never make a page repeat or skip a row that was there, and a deep page costs what the first does.
 *
 * The cursor is opaque to clients: base64url of `{v, s, k}` where `k` are the last row's sort keys
 * and `s` a digest of the list and its filters, so a cursor replayed against another list or other
 * filters is refused instead of silently paging something else.
 */

/** Longest cursor accepted; what we issue is well under it (three keys of at most 512 characters). */
export const MAX_CURSOR_LENGTH = 2048;
const MAX_KEY_LENGTH = 512;
const VERSION = 1;

type KeyType = 'string' | 'number';
type SortKey = string | number;

export interface KeysetColumn {
  /** The column, or the name the row carries `sql` under. */
  column: string;
  order: 'asc' | 'desc';
  type: KeyType;
  /** An expression to sort on instead of a plain column (a nullable column made total). */
  sql?: string;
}

function compare(
  builder: Knex.QueryBuilder,
  column: KeysetColumn,
  operator: '=' | '<' | '>',
  key: SortKey,
) {
  if (column.sql) builder.whereRaw(`${column.sql} ${operator} ?`, [key]);
  else builder.where(column.column, operator, key);
}

/** What a cursor is bound to: the list and every parameter that changes its rows or their order. */
export function cursorScope(list: string, parameters: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([list, parameters]))
    .digest('base64url')
    .slice(0, 16);
}

function encodeCursor(scope: string, keys: SortKey[]): string {
  return Buffer.from(
    JSON.stringify({ v: VERSION, s: scope, k: keys }),
    'utf8',
  ).toString('base64url');
}

function refuse(reason: string): never {
  throw new InputError(`query.cursor: ${reason}`);
}

/** The keys of a cursor issued for `scope`; anything else is a 400, never a different page. */
function decodeCursor(
  cursor: string,
  scope: string,
  columns: KeysetColumn[],
): SortKey[] {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH)
    refuse(`must be 1 to ${MAX_CURSOR_LENGTH} characters`);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) refuse('is not a cursor we issued');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return refuse('is not a cursor we issued');
  }
  const { v, s, k } = (payload ?? {}) as Record<string, unknown>;
  if (typeof payload !== 'object' || Array.isArray(payload) || v !== VERSION)
    refuse('is not a cursor we issued');
  if (s !== scope)
    refuse('belongs to another list or other filters; start from page one');
  if (!Array.isArray(k) || k.length !== columns.length)
    refuse('is not a cursor we issued');
  return k.map((key, i) => {
    const type = columns[i].type;
    if (type === 'number' && Number.isSafeInteger(key)) return key as number;
    if (
      type === 'string' &&
      typeof key === 'string' &&
      key.length <= MAX_KEY_LENGTH &&
      !key.includes('\u0000')
    )
      return key;
    return refuse('is not a cursor we issued');
  });
}

/**
 * The rows strictly after `keys` in the order of `columns`, as the union of one seek per column,
 * in order: (a = x AND b = y AND c > z), then (a = x AND b > y), then (a > x). Each step is an
 * equality prefix and one range over the list's index, so it reads only the rows it returns; the
 * one-statement form (a > x) OR (a = x AND b > y) OR … made SQLite walk the index from the first
 * key's range on and filter, which for a deep page of an entity whose findings share a severity is
 * every row before the cursor. Steps run until the page is full.
 */
async function rowsAfter<Row>(
  query: Knex.QueryBuilder,
  columns: KeysetColumn[],
  keys: SortKey[],
  wanted: number,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (
    let last = columns.length - 1;
    last >= 0 && rows.length < wanted;
    last--
  ) {
    const step = query.clone();
    for (let j = 0; j < last; j++) compare(step, columns[j], '=', keys[j]);
    const column = columns[last];
    compare(step, column, column.order === 'asc' ? '>' : '<', keys[last]);
    orderBy(step, columns);
    step.limit(wanted - rows.length);
    rows.push(...((await step) as Row[]));
  }
  return rows;
}

function orderBy(query: Knex.QueryBuilder, columns: KeysetColumn[]) {
  for (const { column, order, sql } of columns) {
    if (sql) query.orderByRaw(`${sql} ${order}`);
    else query.orderBy(column, order);
  }
}

/** From this offset on, the rows skipped are only keys (below); nearer pages are cheaper read whole. */
const DEFERRED_OFFSET = 1000;

/**
 * A deep offset page as a deferred join: the rows to skip are stepped over as the list's unique last
 * column in a subquery, which the list's index answers without reading table rows, and only the
 * page's rows are read. PostgreSQL fetched every skipped row from the heap (20× at offset 19,900);
 * SQLite already stepped its index alone and costs the same either way (docs/benchmarks.md).
 */
async function deferredOffsetRows<Row>(
  query: Knex.QueryBuilder,
  columns: KeysetColumn[],
  offset: number,
  wanted: number,
): Promise<Row[]> {
  const unique = columns[columns.length - 1];
  const keys = query.clone().clearSelect().select(unique.column);
  orderBy(keys, columns);
  keys.limit(wanted).offset(offset);
  // Only the unique column: with the list's filters the planner walks the list's index again and
  // tests each row against the keys, instead of fetching the page's rows by key.
  const page = query.clone().clear('where').whereIn(unique.column, keys);
  orderBy(page, columns);
  return (await page) as Row[];
}

/**
 * Runs a keyset page: `limit + 1` rows are read so the cursor is only issued when a row follows.
 * Returns the page's rows and the cursor of its last row.
 */
export async function keysetPage<Row extends Record<string, any>>(
  query: Knex.QueryBuilder,
  options: {
    columns: KeysetColumn[];
    scope: string;
    limit: number;
    cursor?: string;
    offset?: number;
  },
): Promise<{ rows: Row[]; nextCursor?: string }> {
  const { columns, scope, limit } = options;
  let rows: Row[];
  if (options.cursor !== undefined) {
    if (options.offset) refuse('cannot be combined with offset');
    const keys = decodeCursor(options.cursor, scope, columns);
    rows = await rowsAfter<Row>(query, columns, keys, limit + 1);
  } else if (options.offset && options.offset >= DEFERRED_OFFSET) {
    rows = await deferredOffsetRows<Row>(
      query,
      columns,
      options.offset,
      limit + 1,
    );
  } else {
    orderBy(query, columns);
    query.limit(limit + 1);
    if (options.offset) query.offset(options.offset);
    rows = await query;
  }
  if (rows.length <= limit) return { rows };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor: encodeCursor(
      scope,
      columns.map(({ column, type }) => {
        const value = last[column];
        return type === 'number' ? Number(value) : String(value);
      }),
    ),
  };
}
