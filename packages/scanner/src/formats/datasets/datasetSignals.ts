import type { ReaderContext, ReaderInput } from '../../engine/FormatReader';
import {
  FORMAT_PROPERTY,
  SCHEMA_PROPERTY,
  type ObservedSchema,
} from './schema';

/**
 * Publishes the schema a reader saw as a `data` component: it goes into the ML-BOM, and the schema
 * analyzer compares it with a pinned schema after the walk. Archive members are described too,
 * but only top-level files can be pinned.
 */
export function describeSchema(
  input: ReaderInput,
  ctx: ReaderContext,
  schema: ObservedSchema,
): void {
  ctx.addComponent({
    type: 'data',
    name: [input.location.path, ...(input.location.entry ?? [])].join('!/'),
    path: input.location.entry ? undefined : input.location.path,
    properties: {
      [FORMAT_PROPERTY]: schema.format,
      [SCHEMA_PROPERTY]: JSON.stringify({
        source: schema.source,
        columns: schema.columns,
      }),
    },
  });
}

/** A sampled file says how much of it was read, so nobody mistakes the result for a full read. */
export function reportSampled(
  input: ReaderInput,
  ctx: ReaderContext,
  read: { bytesRead: number; rowsRead: number; totalRows?: number },
): void {
  const of =
    read.totalRows === undefined
      ? ''
      : ` of ${read.totalRows.toLocaleString('en-US')}`;
  ctx.emit({
    ruleId: 'DATA-SAMPLED',
    message: `Sampled: ${read.rowsRead.toLocaleString(
      'en-US',
    )}${of} rows analysed (${read.bytesRead.toLocaleString(
      'en-US',
    )} of ${input.source.size.toLocaleString(
      'en-US',
    )} bytes read); set the policy's datasets.mode to full to read everything`,
    location: input.location,
    evidence: {
      bytesRead: read.bytesRead,
      size: input.source.size,
      rowsRead: read.rowsRead,
      ...(read.totalRows === undefined ? {} : { totalRows: read.totalRows }),
    },
    key: 'dataset:sampled',
  });
}
