/**
 * The benign corpus: what real libraries save (PyTorch zip, legacy and sharded checkpoints,
 * TorchScript, scikit-learn pipelines with sparse matrices and ufuncs, ensembles, joblib with every
 * compressor, NumPy, dill, ONNX), written by test/fixtures/benign/generate/generate.py with Debian's
 * python3 packages and committed. No file may block; a ticket is allowed only where listed below
 * with the reason.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createScanner, type Finding } from '@ml-governance/scanner';

const CORPUS = join(__dirname, '../../fixtures/benign/files');

/** Files allowed a medium (ticket) finding, with the rule and why the finding is right. */
const EXPLAINED_TICKETS: Record<string, { rule: string; why: string }> = {};

const SEVERE = new Set(['critical', 'high']);
const fileOf = (finding: Finding) =>
  finding.location.path.split('/').pop() ?? '';

describe('benign corpus from real libraries', () => {
  const files = readdirSync(CORPUS).sort();
  let findings: Finding[] = [];

  beforeAll(async () => {
    findings = (await createScanner().scanPath(CORPUS)).findings;
  }, 60_000);

  it('holds the shapes people ship', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const shape of [
      'torch_legacy.pt',
      'torchscript_traced.pt',
      'sklearn_tfidf_sparse.pkl',
      'pipeline.joblib.bz2',
      'dill_plain_data.pkl',
      'numpy_object_strings.npy',
      'onnx_linear.onnx',
    ]) {
      expect(files).toContain(shape);
    }
  });

  it('blocks none of them', () => {
    expect(
      findings
        .filter(f => SEVERE.has(f.severity))
        .map(f => `${fileOf(f)}: ${f.ruleId} ${f.message}`),
    ).toEqual([]);
  });

  it('tickets only where the reason is written down', () => {
    const tickets = findings.filter(f => f.severity === 'medium');
    const unexplained = tickets.filter(
      f => EXPLAINED_TICKETS[fileOf(f)]?.rule !== f.ruleId,
    );
    expect(
      unexplained.map(f => `${fileOf(f)}: ${f.ruleId} ${f.message}`),
    ).toEqual([]);
  });
});
