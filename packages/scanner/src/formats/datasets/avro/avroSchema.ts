import type { ColumnType, DatasetColumn } from '../schema';
import type { AvroSchema } from './avroBinary';

const PRIMITIVE: Record<string, ColumnType> = {
  null: 'null',
  boolean: 'boolean',
  int: 'integer',
  long: 'integer',
  float: 'number',
  double: 'number',
  bytes: 'binary',
  string: 'string',
  record: 'object',
  error: 'object',
  map: 'object',
  array: 'array',
  enum: 'string',
  fixed: 'binary',
};
const LOGICAL: Record<string, ColumnType> = {
  date: 'date',
  'timestamp-millis': 'timestamp',
  'timestamp-micros': 'timestamp',
  'timestamp-nanos': 'timestamp',
  'local-timestamp-millis': 'timestamp',
  'local-timestamp-micros': 'timestamp',
  decimal: 'number',
  uuid: 'string',
};

/** Portable type of an Avro type; a union of null and one type is that type (a nullable column). */
function avroColumnType(
  schema: AvroSchema,
  names: Map<string, AvroSchema>,
  depth = 0,
): ColumnType {
  if (depth > 16) return 'mixed';
  if (Array.isArray(schema)) {
    const branches = schema
      .map(branch => avroColumnType(branch, names, depth + 1))
      .filter(type => type !== 'null');
    const distinct = [...new Set(branches)];
    if (distinct.length === 0) return 'null';
    return distinct.length === 1 ? distinct[0] : 'mixed';
  }
  if (typeof schema === 'string') {
    if (PRIMITIVE[schema] && !names.has(schema)) return PRIMITIVE[schema];
    const named = names.get(schema);
    return named ? avroColumnType(named, names, depth + 1) : 'mixed';
  }
  if (typeof schema !== 'object' || schema === null) return 'mixed';
  if (schema.logicalType && LOGICAL[schema.logicalType])
    return LOGICAL[schema.logicalType];
  if (typeof schema.type === 'string' && PRIMITIVE[schema.type])
    return PRIMITIVE[schema.type];
  return avroColumnType(schema.type, names, depth + 1);
}

/** Columns of a record schema (the usual top level); any other top level is one column `$`. */
export function avroColumns(
  schema: AvroSchema,
  names: Map<string, AvroSchema>,
): DatasetColumn[] {
  const record =
    typeof schema === 'string' ? names.get(schema) ?? schema : schema;
  if (
    typeof record === 'object' &&
    record !== null &&
    !Array.isArray(record) &&
    (record.type === 'record' || record.type === 'error')
  )
    return (record.fields ?? []).map(field => ({
      name: field.name,
      type: avroColumnType(field.type, names),
    }));
  return [{ name: '$', type: avroColumnType(schema, names) }];
}
