import type { ColumnType, DatasetColumn } from '../schema';

/** The subset of hyparquet's SchemaElement we read (kept structural: hyparquet is loaded lazily). */
export interface ParquetSchemaElement {
  name: string;
  type?: string;
  num_children?: number;
  converted_type?: string;
  logical_type?: { type: string };
}

const LOGICAL: Record<string, ColumnType> = {
  STRING: 'string',
  ENUM: 'string',
  UUID: 'string',
  JSON: 'string',
  BSON: 'binary',
  DATE: 'date',
  TIME: 'integer',
  TIMESTAMP: 'timestamp',
  DECIMAL: 'number',
  INTEGER: 'integer',
  FLOAT16: 'number',
  LIST: 'array',
  MAP: 'object',
};
const CONVERTED: Record<string, ColumnType> = {
  UTF8: 'string',
  ENUM: 'string',
  JSON: 'string',
  BSON: 'binary',
  DATE: 'date',
  TIMESTAMP_MILLIS: 'timestamp',
  TIMESTAMP_MICROS: 'timestamp',
  DECIMAL: 'number',
  LIST: 'array',
  MAP: 'object',
  MAP_KEY_VALUE: 'object',
};
const PHYSICAL: Record<string, ColumnType> = {
  BOOLEAN: 'boolean',
  INT32: 'integer',
  INT64: 'integer',
  INT96: 'timestamp',
  FLOAT: 'number',
  DOUBLE: 'number',
  BYTE_ARRAY: 'binary',
  FIXED_LEN_BYTE_ARRAY: 'binary',
};

function parquetColumnType(element: ParquetSchemaElement): ColumnType {
  const logical = element.logical_type && LOGICAL[element.logical_type.type];
  if (logical) return logical;
  const converted = element.converted_type && CONVERTED[element.converted_type];
  if (converted) return converted;
  if (element.num_children) return 'object';
  // INT_8 … UINT_64 annotate integers of a narrower width or signedness: still integers.
  if (/^U?INT_/.test(element.converted_type ?? '')) return 'integer';
  return PHYSICAL[element.type ?? ''] ?? 'mixed';
}

/** Top-level columns of a flattened Parquet schema (element 0 is the root, children follow depth-first). */
export function parquetColumns(
  schema: readonly ParquetSchemaElement[],
): DatasetColumn[] {
  const columns: DatasetColumn[] = [];
  let index = 1;
  const skip = (at: number): number => {
    let next = at + 1;
    for (let i = 0; i < (schema[at]?.num_children ?? 0); i++) next = skip(next);
    return next;
  };
  const rootChildren = schema[0]?.num_children ?? 0;
  for (let i = 0; i < rootChildren && index < schema.length; i++) {
    columns.push({
      name: schema[index].name,
      type: parquetColumnType(schema[index]),
    });
    index = skip(index);
  }
  return columns;
}
