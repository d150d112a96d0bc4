import type { FormatReader } from './FormatReader';
import type { ProjectAnalyzer } from './ProjectAnalyzer';
import { PICKLE_FAMILY_READERS } from '../formats/pickle';
import { ARCHIVE_READERS } from '../formats/archive';
import {
  MODEL_FOLDER_ANALYZERS,
  MODEL_FORMAT_READERS,
} from '../formats/models';
import { DEPENDENCY_ANALYZERS } from '../deps';
import { SOURCE_ANALYZERS } from '../source';
import { modelLicenceAnalyzer } from '../licences';
import { NOTEBOOK_READERS } from '../formats/notebooks';
import { DATASET_ANALYZERS, DATASET_READERS } from '../formats/datasets';
import { SECRET_ANALYZERS } from '../secrets';
import { signatureAnalyzer } from '../signatures/signatureAnalyzer';

/**
 * Every built-in format reader. Order does not matter: `priority` decides.
 *
 * @public
 */
export const DEFAULT_READERS: readonly FormatReader[] = [
  ...PICKLE_FAMILY_READERS,
  ...ARCHIVE_READERS,
  ...MODEL_FORMAT_READERS,
  ...NOTEBOOK_READERS,
  ...DATASET_READERS,
];

/**
 * Built-in project analyzers, in run order: the dependency analyzers publish the graph
 * (FACT_DEPENDENCIES) that the source analyzers grade and reconcile imports against.
 *
 * @public
 */
export const DEFAULT_ANALYZERS: readonly ProjectAnalyzer[] = [
  ...DEPENDENCY_ANALYZERS,
  ...SOURCE_ANALYZERS,
  ...MODEL_FOLDER_ANALYZERS,
  signatureAnalyzer,
  modelLicenceAnalyzer,
  ...SECRET_ANALYZERS,
  ...DATASET_ANALYZERS,
];
