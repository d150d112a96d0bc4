import type { FormatReader } from '../../engine/FormatReader';
import type { ProjectAnalyzer } from '../../engine/ProjectAnalyzer';
import { avroReader } from './avro/avroReader';
import { parquetReader } from './parquet/parquetReader';
import { datasetReader } from './reader';
import { DatasetSchemaAnalyzer } from './schemaAnalyzer';

/** CSV/TSV, JSON Lines, Parquet and Avro datasets (sampled unless the policy says `full`). */
export const DATASET_READERS: FormatReader[] = [
  datasetReader,
  parquetReader,
  avroReader,
];

/** Schema drift against pinned schemas, after the readers described what they saw. */
export const DATASET_ANALYZERS: ProjectAnalyzer[] = [
  new DatasetSchemaAnalyzer(),
];
