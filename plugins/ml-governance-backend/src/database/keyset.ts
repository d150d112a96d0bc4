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
 * Rows strictly after `keys` in the order of `columns`: (a > x) OR (a = x AND b > y) OR …, led by
 * the redundant bound a >= x so the planner reads the index as a range from the cursor on.
 */
function whereAfter(
  query: Knex.QueryBuilder,
  columns: KeysetColumn[],
  keys: SortKey[],
): void {
  const [first] = columns;
  if (first.sql)
    query.whereRaw(`${first.sql} ${first.order === 'asc' ? '>=' : '<='} ?`, [
      keys[0],
    ]);
  else query.where(first.column, first.order === 'asc' ? '>=' : '<=', keys[0]);
  query.where(outer => {
    columns.forEach((last, i) => {
      outer.orWhere(inner => {
        for (let j = 0; j < i; j++) compare(inner, columns[j], '=', keys[j]);
        compare(inner, last, last.order === 'asc' ? '>' : '<', keys[i]);
      });
    });
  });
}

function orderBy(query: Knex.QueryBuilder, columns: KeysetColumn[]) {
  for (const { column, order, sql } of columns) {
    if (sql) query.orderByRaw(`${sql} ${order}`);
    else query.orderBy(column, order);
  }
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
  if (options.cursor !== undefined) {
    if (options.offset) refuse('cannot be combined with offset');
    whereAfter(query, columns, decodeCursor(options.cursor, scope, columns));
  }
  orderBy(query, columns);
  query.limit(limit + 1);
  if (options.offset) query.offset(options.offset);
  const rows: Row[] = await query;
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
