import type { ReaderOptions } from '../../engine/FormatReader';

/**
 * How much of a dataset is read. `sample` (the default) reads the first `DATASET_LIMITS.sampleBytes`
 * (CSV/TSV/JSONL), the first row groups (Parquet) or blocks (Avro) up to that many bytes, and at most
 * `maxRows` rows; `full` reads the whole file, bounded only by the per-file time budget. Set by the
 * policy's `datasets.mode`.
 */
export type DatasetMode = 'sample' | 'full';

export interface DatasetReaderOptions {
  mode?: DatasetMode;
  /** Dataset path (relative to the scan root) → pinned schema file path; see schemaAnalyzer.ts. */
  schemas?: Record<string, string>;
}

export function datasetMode(options: ReaderOptions): DatasetMode {
  const datasets = options.datasets as DatasetReaderOptions | undefined;
  return datasets?.mode === 'full' ? 'full' : 'sample';
}

/** Largest decompressed page (Parquet) or block (Avro) accepted: a header that claims more is hostile. */
export const MAX_DECOMPRESSED_BLOCK_BYTES = 256 * 1024 * 1024;

/** Flattens a record into its text and binary leaves, with JSON-style paths. Depth-limited. */
export function* leavesOf(
  value: unknown,
  path: string,
  depth = 0,
): Generator<[string, string | Uint8Array]> {
  if (typeof value === 'string' || value instanceof Uint8Array)
    yield [path || '$', value];
  else if (depth > 32 || value === null || typeof value !== 'object') return;
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      yield* leavesOf(value[i], `${path}[${i}]`, depth + 1);
  } else
    for (const [key, child] of Object.entries(value))
      yield* leavesOf(child, path ? `${path}.${key}` : key, depth + 1);
}
