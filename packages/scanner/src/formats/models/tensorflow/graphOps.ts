import type { Severity } from '../../../model/severity';

/** Ops that call back into the Python interpreter of the loading process. */
export const PYTHON_OPS: ReadonlySet<string> = new Set([
  'PyFunc',
  'PyFuncStateless',
  'EagerPyFunc',
]);

/** Ops that read, write, list or map files on the host. */
const FILE_OPS: ReadonlySet<string> = new Set([
  'ReadFile',
  'WriteFile',
  'MatchingFiles',
  'ImmutableConst',
  'WholeFileReader',
  'WholeFileReaderV2',
  'TextLineReader',
  'TextLineReaderV2',
  'FixedLengthRecordReader',
  'FixedLengthRecordReaderV2',
  'TFRecordReader',
  'TFRecordReaderV2',
  'TextLineDataset',
  'TFRecordDataset',
  'FixedLengthRecordDataset',
  'CreateSummaryFileWriter',
  'CreateSummaryDbWriter',
  'LoadAndRemapMatrix',
]);

/** Checkpoint ops: expected in the saver, suspicious anywhere else. */
const CHECKPOINT_OPS: ReadonlySet<string> = new Set([
  'Save',
  'SaveV2',
  'SaveSlices',
  'Restore',
  'RestoreV2',
  'RestoreSlice',
  'MergeV2Checkpoints',
]);

/** Debug ops whose `debug_urls` may point at files. */
const DEBUG_OPS: ReadonlySet<string> = new Set([
  'DebugIdentity',
  'DebugNanCount',
  'DebugNumericSummary',
  'DebugIdentityV2',
  'DebugIdentityV3',
]);

export interface NodeContext {
  op: string;
  node: string;
  /** Function the node belongs to, or undefined for the top-level graph. */
  fn?: string;
  /** String attribute values that matter (`debug_urls`, `output_stream`, `dump_root`). */
  fileAttributes: string[];
}

export interface OpVerdict {
  ruleId: 'MODEL-TF-PYTHON-OP' | 'MODEL-TF-FILE-OP';
  severity?: Severity;
  why: string;
}

/** The saver lives in `save/...` nodes (TF1) or in `__inference__traced_save/restore_*` functions (TF2). */
function inSaver(node: NodeContext): boolean {
  return (
    /^save(_\d+)?\//.test(node.node) ||
    /^__inference__traced_(save|restore)_/.test(node.fn ?? '')
  );
}

export function judgeOp(node: NodeContext): OpVerdict | undefined {
  if (PYTHON_OPS.has(node.op))
    return {
      ruleId: 'MODEL-TF-PYTHON-OP',
      why: 'calls a Python function of the loading process',
    };
  if (node.op === 'WriteFile')
    return {
      ruleId: 'MODEL-TF-FILE-OP',
      severity: 'critical',
      why: 'writes a file on the host',
    };
  if (FILE_OPS.has(node.op))
    return {
      ruleId: 'MODEL-TF-FILE-OP',
      why: 'reads or lists files on the host',
    };
  if (CHECKPOINT_OPS.has(node.op) && !inSaver(node)) {
    return {
      ruleId: 'MODEL-TF-FILE-OP',
      why: 'reads or writes checkpoint files outside the saver',
    };
  }
  const fileUrl = node.fileAttributes.find(value => /^file:|^\//.test(value));
  if ((DEBUG_OPS.has(node.op) || node.op === 'PrintV2') && fileUrl) {
    return {
      ruleId: 'MODEL-TF-FILE-OP',
      why: `writes debug output to ${fileUrl.slice(0, 100)}`,
    };
  }
  return undefined;
}
