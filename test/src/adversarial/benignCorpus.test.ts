/**
 * The benign corpus: what real libraries save — PyTorch (zip, legacy, sharded with its index, a
 * whole module), TorchScript, scikit-learn (pipelines, sparse matrices, ufuncs, ensembles), joblib
 * with every compressor, NumPy, dill, ONNX, Keras (.h5 and .keras), NeMo, GGUF and XGBoost —
 * written by the scripts in test/fixtures/benign/generate with Debian's python3 packages and
 * committed. Every file is listed with the release decision the default policy gives it on its
 * own: a new file must be added here, and none may block.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createScanner,
  DEFAULT_POLICY,
  evaluatePolicy,
  type Finding,
} from '@ml-governance/scanner';

const CORPUS = join(__dirname, '../../fixtures/benign/files');

/** Every file of the corpus and its decision. A TICKET needs its rule and the reason it is right. */
const EXPECTED: Record<
  string,
  'PASS' | { decision: 'TICKET'; rule: string; why: string }
> = {
  'asr_conformer.nemo': 'PASS',
  'dill_plain_data.pkl': 'PASS',
  'keras_legacy_sequential.h5': 'PASS',
  'keras_sequential.keras': 'PASS',
  'keras_text_lookup.keras': 'PASS',
  'numpy_arrays.npz': 'PASS',
  'numpy_float.npy': 'PASS',
  'numpy_object_strings.npy': 'PASS',
  'onnx_linear.onnx': 'PASS',
  'pipeline.joblib.bz2': 'PASS',
  'pipeline.joblib.gz': 'PASS',
  'pipeline.joblib.lzma': 'PASS',
  'pipeline.joblib.xz': 'PASS',
  'pytorch_model-00001-of-00002.bin': 'PASS',
  'pytorch_model-00002-of-00002.bin': 'PASS',
  'pytorch_model.bin.index.json': 'PASS',
  'sklearn_ensembles.joblib': 'PASS',
  'sklearn_function_transformer.pkl': 'PASS',
  'sklearn_pipeline.pkl': 'PASS',
  'sklearn_tfidf_sparse.pkl': 'PASS',
  'stdlib_refs.pkl': 'PASS',
  'tiny_llama.gguf': 'PASS',
  'torch_checkpoint.ckpt': 'PASS',
  'torch_full_module.pth': 'PASS',
  'torch_legacy.pt': 'PASS',
  'torch_state_dict.pt': 'PASS',
  'torchscript_traced.pt': 'PASS',
  'xgboost_booster.joblib': 'PASS',
  'xgboost_classifier.joblib': 'PASS',
  'xgboost_model.json': 'PASS',
  'xgboost_model.ubj': 'PASS',
};

/** Formats each file must have been read as: a PASS because nothing looked at the file is no PASS. */
const READ_AS: Record<string, string> = {
  'asr_conformer.nemo': 'yaml-config',
  'keras_legacy_sequential.h5': 'hdf5',
  'keras_sequential.keras': 'keras-config',
  'keras_text_lookup.keras': 'keras-config',
  'tiny_llama.gguf': 'gguf',
  'torchscript_traced.pt': 'torchscript',
  'xgboost_classifier.joblib': 'joblib',
  'onnx_linear.onnx': 'onnx',
  'pipeline.joblib.xz': 'xz',
};

const SEVERE_OR_TICKET = new Set(['critical', 'high', 'medium']);
const fileOf = (finding: Finding) =>
  finding.location.path.split('/').pop() ?? '';

describe('benign corpus from real libraries', () => {
  const files = readdirSync(CORPUS).sort();
  let findings: Finding[] = [];
  let formats = new Map<string, string[]>();

  beforeAll(async () => {
    const result = await createScanner().scanPath(CORPUS);
    findings = result.findings;
    formats = new Map(
      result.files.map(file => [
        file.path.split('/').pop() ?? '',
        file.formats,
      ]),
    );
  }, 60_000);

  it('lists every file of the corpus', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it('gives each file its expected decision under the default policy', () => {
    const decisions = Object.fromEntries(
      files.map(file => {
        const own = findings.filter(f => fileOf(f) === file);
        const { decision } = evaluatePolicy({ findings: own }, DEFAULT_POLICY, {
          now: new Date(),
        });
        const counted = [
          ...new Set(
            own
              .filter(f => SEVERE_OR_TICKET.has(f.severity))
              .map(f => f.ruleId),
          ),
        ].sort();
        return [file, [decision, ...counted].join(' ')];
      }),
    );
    const expected = Object.fromEntries(
      Object.entries(EXPECTED).map(([file, want]) => [
        file,
        want === 'PASS' ? 'PASS' : `${want.decision} ${want.rule}`,
      ]),
    );
    expect(decisions).toEqual(expected);
  });

  it('read each file as what it is', () => {
    for (const [file, format] of Object.entries(READ_AS))
      expect({ file, formats: formats.get(file) }).toEqual({
        file,
        formats: expect.arrayContaining([format]),
      });
  });
});
