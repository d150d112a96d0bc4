import type { FormatReader } from '../../engine/FormatReader';
import type { ProjectAnalyzer } from '../../engine/ProjectAnalyzer';
import { safetensorsReader } from './safetensors/reader';
import { onnxReader } from './onnx/reader';
import { ggufReader } from './gguf/reader';
import { kerasConfigReader } from './keras/configReader';
import { kerasH5Reader } from './keras/h5Reader';
import { tensorflowReader } from './tensorflow/reader';
import { modelCardReader } from './modelcard/reader';
import { hfConfigReader } from './provenance/hfConfigReader';
import { chatTemplateFileReader } from './provenance/chatTemplateFileReader';
import { configReader } from './configs/configReader';
import { sentencePieceReader } from './sentencepiece/reader';
import { modelFolderAnalyzer } from './provenance/modelFolderAnalyzer';
import { pinnedHashAnalyzer } from './provenance/pinnedHashAnalyzer';

/** Readers for every non-pickle model format, model cards and Hugging Face configs. */
export const MODEL_FORMAT_READERS: FormatReader[] = [
  safetensorsReader,
  onnxReader,
  ggufReader,
  kerasConfigReader,
  kerasH5Reader,
  tensorflowReader,
  modelCardReader,
  hfConfigReader,
  chatTemplateFileReader,
  sentencePieceReader,
  configReader,
];

/**
 * Whole-folder checks that need more than one file: code shipped beside weights (and whether
 * `auto_map` points at it) and SHA-256 pins from the policy. To be listed in DEFAULT_ANALYZERS.
 */
export const MODEL_FOLDER_ANALYZERS: ProjectAnalyzer[] = [
  modelFolderAnalyzer,
  pinnedHashAnalyzer,
];
