/**
 * Dataset schemas: what a reader observed (column names and portable types) and what a pinned
 * schema file expects. Types are a small portable vocabulary so that a CSV, a JSON Lines file, a
 * Parquet file and an Avro file of the same table compare alike.
 */
export type ColumnType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'binary'
  | 'timestamp'
  | 'date'
  | 'object'
  | 'array'
  | 'null'
  | 'mixed';

export const COLUMN_TYPES: readonly ColumnType[] = [
  'string',
  'integer',
  'number',
  'boolean',
  'binary',
  'timestamp',
  'date',
  'object',
  'array',
  'null',
  'mixed',
];

export interface DatasetColumn {
  name: string;
  type: ColumnType;
}

export interface ObservedSchema {
  format: string;
  columns: DatasetColumn[];
  /** `declared`: the file states its schema (Parquet, Avro); `inferred`: read off sampled values. */
  source: 'declared' | 'inferred';
}

/** Properties of the `data` BOM component a dataset reader adds; the schema analyzer reads them back. */
export const SCHEMA_PROPERTY = 'mlgov:dataset:schema';
export const FORMAT_PROPERTY = 'mlgov:dataset:format';

/** Merges the type seen in one more value into what a column had so far. */
function widen(current: ColumnType | undefined, next: ColumnType): ColumnType {
  if (current === undefined || current === 'null') return next;
  if (next === 'null' || current === next) return current;
  if (
    (current === 'integer' && next === 'number') ||
    (current === 'number' && next === 'integer')
  )
    return 'number';
  return 'mixed';
}

const INTEGER = /^[-+]?\d{1,18}$/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const BOOLEAN = /^(?:true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/** Type of a CSV/TSV field, read off its text (an empty field says nothing). */
export function typeOfText(value: string): ColumnType {
  const text = value.trim();
  if (text === '') return 'null';
  if (INTEGER.test(text)) return 'integer';
  if (NUMBER.test(text)) return 'number';
  if (BOOLEAN.test(text)) return 'boolean';
  if (DATE.test(text)) return 'date';
  if (TIMESTAMP.test(text)) return 'timestamp';
  return 'string';
}

/** Type of a JSON value. */
export function typeOfJson(value: unknown): ColumnType {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'integer' : 'number';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

/** Collects column types while rows stream past; keeps first-seen column order. */
export class SchemaInference {
  private readonly types = new Map<string, ColumnType | undefined>();
  /** Columns beyond this are not tracked (a hostile file with a million keys per record). */
  static readonly MAX_COLUMNS = 1000;

  declare(name: string): void {
    if (!this.types.has(name) && this.types.size < SchemaInference.MAX_COLUMNS)
      this.types.set(name, undefined);
  }

  observe(name: string, type: ColumnType): void {
    if (!this.types.has(name) && this.types.size >= SchemaInference.MAX_COLUMNS)
      return;
    this.types.set(name, widen(this.types.get(name), type));
  }

  result(format: string): ObservedSchema {
    return {
      format,
      source: 'inferred',
      columns: [...this.types].map(([name, type]) => ({
        name,
        type: type ?? 'null',
      })),
    };
  }
}

export interface SchemaDrift {
  kind: 'added' | 'removed' | 'retyped';
  column: string;
  expected?: ColumnType;
  actual?: ColumnType;
}

/**
 * Differences between a pinned schema and an observed one. A column the sample only saw empty
 * (`null`) is not called retyped: sampling cannot tell its type. `number` accepts integers (a CSV
 * column of prices may happen to hold whole numbers in the sample).
 */
export function compareSchemas(
  pinned: readonly DatasetColumn[],
  observed: readonly DatasetColumn[],
): SchemaDrift[] {
  const drift: SchemaDrift[] = [];
  const actual = new Map(observed.map(column => [column.name, column.type]));
  const expected = new Map(pinned.map(column => [column.name, column.type]));
  for (const column of pinned) {
    const type = actual.get(column.name);
    if (type === undefined)
      drift.push({
        kind: 'removed',
        column: column.name,
        expected: column.type,
      });
    else if (
      type !== column.type &&
      type !== 'null' &&
      !(column.type === 'number' && type === 'integer') &&
      column.type !== 'mixed'
    )
      drift.push({
        kind: 'retyped',
        column: column.name,
        expected: column.type,
        actual: type,
      });
  }
  for (const column of observed)
    if (!expected.has(column.name))
      drift.push({ kind: 'added', column: column.name, actual: column.type });
  return drift;
}
