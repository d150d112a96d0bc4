import type {
  ProjectAnalyzer,
  ProjectContext,
} from '../../engine/ProjectAnalyzer';
import type { Severity } from '../../model/severity';
import type { DatasetReaderOptions } from './options';
import {
  COLUMN_TYPES,
  compareSchemas,
  SCHEMA_PROPERTY,
  type DatasetColumn,
  type SchemaDrift,
} from './schema';

/** A pinned schema sits beside its dataset (`train.parquet` → `train.parquet.schema.json`). */
const SCHEMA_SIDECAR_SUFFIX = '.schema.json';
const SCHEMA_FILE_FORMAT = 'mlgov/dataset-schema/v1';

/**
 * Removed and retyped columns break the consumers that read them, or smuggle a different kind of
 * value past their validation: high. An added column is not read by existing code, but it is data
 * nobody reviewed (a new free-text or binary column is where poisoning goes): medium.
 */
const DRIFT_SEVERITY: Record<SchemaDrift['kind'], Severity> = {
  removed: 'high',
  retyped: 'high',
  added: 'medium',
};

function parsePinned(text: string): DatasetColumn[] {
  const parsed = JSON.parse(text) as { format?: unknown; columns?: unknown };
  if (parsed.format !== SCHEMA_FILE_FORMAT)
    throw new Error(`"format" must be "${SCHEMA_FILE_FORMAT}"`);
  if (!Array.isArray(parsed.columns))
    throw new Error('"columns" must be a list of {name, type}');
  return parsed.columns.map((column, index) => {
    const { name, type } = (column ?? {}) as { name?: unknown; type?: unknown };
    if (typeof name !== 'string' || !COLUMN_TYPES.includes(type as never))
      throw new Error(
        `columns[${index}] needs a name and a type among ${COLUMN_TYPES.join(
          ', ',
        )}`,
      );
    return { name, type: type as DatasetColumn['type'] };
  });
}

function describe(drift: SchemaDrift): string {
  switch (drift.kind) {
    case 'removed':
      return `column ${drift.column} (${drift.expected}) is pinned but missing`;
    case 'retyped':
      return `column ${drift.column} is ${drift.actual}, pinned as ${drift.expected}`;
    default:
      return `column ${drift.column} (${drift.actual}) is not in the pinned schema`;
  }
}

/**
 * Compares what the dataset readers saw (their `data` components) with the schema pinned for that
 * file: a sidecar `<file>.schema.json`, or the policy's `datasets.schemas` (dataset path → schema
 * file path), which is how an entity's policy declares it.
 */
export class DatasetSchemaAnalyzer implements ProjectAnalyzer {
  readonly id = 'dataset-schema';

  async analyze(ctx: ProjectContext): Promise<void> {
    const declared =
      (ctx.options.datasets as DatasetReaderOptions | undefined)?.schemas ?? {};
    const files = new Set(ctx.files);
    const observed = new Map<string, DatasetColumn[]>();
    for (const component of ctx.components) {
      const schema = component.properties?.[SCHEMA_PROPERTY];
      if (component.type === 'data' && component.path && schema)
        observed.set(component.path, JSON.parse(schema).columns);
    }
    const pins = new Map<string, string>(Object.entries(declared));
    for (const path of observed.keys())
      if (!pins.has(path) && files.has(path + SCHEMA_SIDECAR_SUFFIX))
        pins.set(path, path + SCHEMA_SIDECAR_SUFFIX);

    for (const [dataset, schemaFile] of pins) {
      const emit = (
        message: string,
        key: string,
        evidence: Record<string, string>,
        severity: Severity = 'high',
      ) =>
        ctx.emit({
          ruleId: 'DATA-SCHEMA-DRIFT',
          message,
          location: { path: dataset },
          evidence: { schemaFile, ...evidence },
          key,
          severity,
        });
      const columns = observed.get(dataset);
      if (!columns) {
        emit(
          `${dataset} has a pinned schema (${schemaFile}) but was not read as a dataset (missing, or not CSV/TSV/JSONL/Parquet/Avro)`,
          'drift:unread',
          {},
        );
        continue;
      }
      let pinned: DatasetColumn[];
      try {
        pinned = parsePinned(await ctx.readText(schemaFile));
      } catch (error) {
        if ((error as Error).name === 'PathEscapeError') continue;
        emit(
          `The pinned schema ${schemaFile} cannot be used: ${
            (error as Error).message
          }`,
          'drift:schema-file',
          {},
        );
        continue;
      }
      for (const drift of compareSchemas(pinned, columns))
        emit(
          `Schema drift against ${schemaFile}: ${describe(drift)}`,
          `drift:${drift.kind}:${drift.column}`,
          {
            change: drift.kind,
            column: drift.column,
            ...(drift.expected ? { expected: drift.expected } : {}),
            ...(drift.actual ? { actual: drift.actual } : {}),
          },
          DRIFT_SEVERITY[drift.kind],
        );
    }
  }
}
