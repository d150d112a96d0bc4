/**
 * A bounded decoder of Avro's binary encoding, driven by the writer's schema. Our own rather than
 * avsc's: avsc compiles a decoder per schema with `new Function` (attacker-named fields then shape
 * generated code) and has no byte or item budget; this walks the schema as data, stops at a depth,
 * item and byte limit, and throws AvroError on anything malformed.
 */
export class AvroError extends Error {}

const AVRO_LIMITS = {
  /** Nesting of records, arrays, maps and unions in one value. */
  maxDepth: 64,
  /** Array and map items in one record (zero-byte items make a count alone costly). */
  maxItemsPerRecord: 100_000,
};

export class Cursor {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** Zig-zag varint long, as a JavaScript number (exact to 2^53). */
  long(): number {
    let result = 0;
    let factor = 1;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.bytes.length)
        throw new AvroError('truncated varint');
      const byte = this.bytes[this.offset++];
      result += (byte & 0x7f) * factor;
      if ((byte & 0x80) === 0)
        return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      factor *= 128;
    }
    throw new AvroError('varint longer than 10 bytes');
  }

  take(length: number): Uint8Array {
    if (length < 0 || length > this.remaining)
      throw new AvroError(
        `length ${length} at offset ${this.offset} exceeds the ${this.remaining} bytes left`,
      );
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}

export type AvroSchema =
  | string
  | AvroSchema[]
  | {
      type: AvroSchema;
      name?: string;
      namespace?: string;
      fields?: Array<{ name: string; type: AvroSchema }>;
      symbols?: string[];
      items?: AvroSchema;
      values?: AvroSchema;
      size?: number;
      logicalType?: string;
    };

const PRIMITIVES = new Set([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
]);

/** Named types (records, enums, fixed) by name and full name, for references. */
export function collectNames(
  schema: AvroSchema,
  names = new Map<string, AvroSchema>(),
  namespace = '',
  depth = 0,
): Map<string, AvroSchema> {
  if (depth > AVRO_LIMITS.maxDepth)
    throw new AvroError('schema nested too deeply');
  if (Array.isArray(schema)) {
    for (const branch of schema)
      collectNames(branch, names, namespace, depth + 1);
  } else if (typeof schema === 'object' && schema !== null) {
    const ns = schema.namespace ?? namespace;
    if (typeof schema.name === 'string') {
      names.set(schema.name, schema);
      const full =
        schema.name.includes('.') || !ns ? schema.name : `${ns}.${schema.name}`;
      names.set(full, schema);
      names.set(full.slice(full.lastIndexOf('.') + 1), schema);
    }
    if (typeof schema.type === 'object')
      collectNames(schema.type, names, ns, depth + 1);
    for (const field of schema.fields ?? [])
      collectNames(field.type, names, ns, depth + 1);
    if (schema.items !== undefined)
      collectNames(schema.items, names, ns, depth + 1);
    if (schema.values !== undefined)
      collectNames(schema.values, names, ns, depth + 1);
  }
  return names;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class ValueDecoder {
  private items = 0;
  constructor(private readonly names: Map<string, AvroSchema>) {}

  /** One value of `schema` from the cursor. Bytes and fixed come back as Uint8Array. */
  decode(schema: AvroSchema, cursor: Cursor, depth = 0): unknown {
    if (depth === 0) this.items = 0;
    if (depth > AVRO_LIMITS.maxDepth)
      throw new AvroError('value nested too deeply');
    if (Array.isArray(schema)) {
      const index = cursor.long();
      if (index < 0 || index >= schema.length)
        throw new AvroError(`union branch ${index} of ${schema.length}`);
      return this.decode(schema[index], cursor, depth + 1);
    }
    if (typeof schema === 'string') {
      if (!PRIMITIVES.has(schema)) {
        const named = this.names.get(schema);
        if (!named) throw new AvroError(`unknown type ${schema}`);
        return this.decode(named, cursor, depth + 1);
      }
      return this.primitive(schema, cursor);
    }
    if (typeof schema !== 'object' || schema === null)
      throw new AvroError('schema is not a type');
    const { type } = schema;
    switch (type) {
      case 'record':
      case 'error': {
        const record: Record<string, unknown> = {};
        for (const field of schema.fields ?? [])
          record[field.name] = this.decode(field.type, cursor, depth + 1);
        return record;
      }
      case 'enum': {
        const index = cursor.long();
        const symbol = schema.symbols?.[index];
        if (symbol === undefined) throw new AvroError(`enum index ${index}`);
        return symbol;
      }
      case 'fixed':
        return cursor.take(schema.size ?? -1);
      case 'array':
      case 'map': {
        const out: unknown[] = [];
        const map: Record<string, unknown> = {};
        for (;;) {
          let count = cursor.long();
          if (count === 0) break;
          if (count < 0) {
            count = -count;
            cursor.long(); // block size in bytes, for skipping
          }
          this.items += count;
          if (this.items > AVRO_LIMITS.maxItemsPerRecord)
            throw new AvroError(
              `more than ${AVRO_LIMITS.maxItemsPerRecord} array/map items in one record`,
            );
          for (let i = 0; i < count; i++) {
            if (type === 'map') {
              const key = utf8.decode(cursor.take(cursor.long()));
              map[key] = this.decode(schema.values!, cursor, depth + 1);
            } else out.push(this.decode(schema.items!, cursor, depth + 1));
          }
        }
        return type === 'map' ? map : out;
      }
      default:
        return this.decode(type, cursor, depth + 1);
    }
  }

  private primitive(type: string, cursor: Cursor): unknown {
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return cursor.take(1)[0] !== 0;
      case 'int':
      case 'long':
        return cursor.long();
      case 'float': {
        const b = cursor.take(4);
        return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
      }
      case 'double': {
        const b = cursor.take(8);
        return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
      }
      case 'bytes':
        return cursor.take(cursor.long());
      default:
        return utf8.decode(cursor.take(cursor.long()));
    }
  }
}
