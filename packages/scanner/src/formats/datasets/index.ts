import type { FormatReader } from '../../engine/FormatReader';
import { datasetReader } from './reader';

/** CSV/TSV and JSON Lines datasets (sampled). Parquet and Avro are not read yet. */
export const DATASET_READERS: FormatReader[] = [datasetReader];
