import { join } from 'node:path';
import { Scanner } from '../engine/Scanner';
import type { ProjectAnalyzer } from '../engine/ProjectAnalyzer';
import { FACT_DEPENDENCIES, type DependencyFacts } from '../engine/facts';
import type { Finding } from '../model/finding';
import { SOURCE_ANALYZERS } from './index';

const FIXTURE = join(__dirname, '__fixtures__', 'fraud-service');

/** Stands in for the dependency analyzers: pins from requirements.txt plus two transitive packages. */
const fakeDependencyAnalyzer: ProjectAnalyzer = {
  id: 'fake-dependencies',
  async analyze(ctx) {
    const pins = (await ctx.readText('requirements.txt'))
      .split('\n')
      .map(line => /^([\w.-]+)==(\S+)/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null);
    const facts: DependencyFacts = {
      packages: [
        ...pins.map(([, name, version]) => ({
          name,
          version,
          direct: true,
          paths: [['fraud-service', name]],
          declaredIn: ['requirements.txt'],
        })),
        {
          name: 'featurestore',
          version: '1.2.0',
          direct: false,
          paths: [['fraud-service', 'transformers', 'featurestore']],
          declaredIn: [],
        },
        {
          name: 'cloudpickle',
          version: '3.1.0',
          direct: false,
          paths: [['fraud-service', 'featurestore', 'cloudpickle']],
          declaredIn: [],
        },
      ],
      importToDistribution: {},
    };
    ctx.facts.set(FACT_DEPENDENCIES, facts);
  },
};

async function scanFraudService(): Promise<Finding[]> {
  const scanner = new Scanner({
    readers: [],
    analyzers: [fakeDependencyAnalyzer, ...SOURCE_ANALYZERS],
    readerOptions: { hardenedModules: ['model_utils'] },
    limits: { maxTextBytes: 4096 },
  });
  return (await scanner.scanPath(FIXTURE)).findings;
}

describe('fraud-service example', () => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = await scanFraudService();
  });

  const summary = () =>
    findings
      .map(
        f =>
          `${f.ruleId} ${f.severity} ${f.location.path}:${
            f.location.line ?? '-'
          } ${f.evidence.symbol ?? f.evidence.package ?? ''}`,
      )
      .sort();

  it('finds every risky pattern of the service with the right rule, severity and place', () => {
    expect(summary()).toEqual([
      'SOURCE-DYNAMIC-IMPORT medium app/explain.py:13 importlib.import_module',
      'SOURCE-EXEC-STRING medium app/explain.py:17 eval',
      'SOURCE-GRAPH-MODEL-LOAD medium app/legacy_batch.py:5 tensorflow.saved_model.load',
      'SOURCE-HARDENED-LOADER info app/legacy_batch.py:6 model_utils.load_estimator',
      'SOURCE-HARDENED-LOADER info model_utils/__init__.py:14 joblib.load',
      'SOURCE-KERAS-UNSAFE-MODE high app/explain.py:9 keras.models.load_model',
      'SOURCE-MODEL-EXPORT-PICKLE high app/main.py:27 torch.save',
      'SOURCE-NUMPY-ALLOW-PICKLE high app/features.py:19 numpy.load',
      'SOURCE-OBFUSCATED-GETATTR high app/features.py:23 pickle.loads',
      'SOURCE-PARSE-ERROR low deploy/site-packages/featurestore/_schema.py:- ',
      'SOURCE-PICKLE-LOAD high app/features.py:15 dill.loads',
      'SOURCE-PICKLE-LOAD high app/features.py:23 pickle.loads',
      'SOURCE-STALE-DEPENDENCY low requirements.txt:- jsonpickle',
      'SOURCE-THIRD-PARTY-DESERIALIZATION low deploy/site-packages/featurestore/client.py:7 pickle.load',
      'SOURCE-TORCH-LOAD high app/main.py:14 torch.load',
      'SOURCE-TRUST-REMOTE-CODE high app/explain.py:7 transformers.AutoTokenizer.from_pretrained',
      'SOURCE-UNDECLARED-IMPORT medium app/features.py:27 cloudpickle',
      'SOURCE-UNDECLARED-IMPORT medium app/main.py:5 yaml',
      'SOURCE-YAML-UNSAFE-LOAD high app/main.py:13 yaml.load',
    ]);
  });

  it('explains the torch.load grade with the locked version', () => {
    const torchLoad = findings.find(f => f.ruleId === 'SOURCE-TORCH-LOAD')!;
    expect(torchLoad.message).toMatch(
      /torch 2\.5\.1, where the default is weights_only=False/,
    );
    expect(torchLoad.evidence).toMatchObject({
      snippet: 'model = torch.load(MODEL_PATH)',
      torchVersion: '2.5.1',
    });
  });

  it('shows the guard of a guarded import on the call that uses it', () => {
    const dill = findings.find(f => f.evidence.symbol === 'dill.loads')!;
    expect(dill.evidence).toMatchObject({
      guard: 'if not PRODUCTION:',
      guardKind: 'flag',
    });
  });

  it('gives the dependency path of transitive packages', () => {
    expect(
      findings.find(
        f =>
          f.ruleId === 'SOURCE-UNDECLARED-IMPORT' &&
          f.evidence.package === 'cloudpickle',
      )?.evidence.dependencyPath,
    ).toEqual(['fraud-service', 'featurestore', 'cloudpickle']);
    expect(
      findings.find(f => f.ruleId === 'SOURCE-THIRD-PARTY-DESERIALIZATION')
        ?.evidence,
    ).toMatchObject({
      package: 'featurestore',
      version: '1.2.0',
      dependencyPath: ['fraud-service', 'transformers', 'featurestore'],
    });
  });

  it('leaves offline training exports, allowlisted library internals and safe calls alone', () => {
    const paths = new Set(findings.map(f => f.location.path));
    expect(paths.has('training/export.py')).toBe(false);
    expect(paths.has('deploy/site-packages/torch/serialization.py')).toBe(
      false,
    );
    expect(
      findings.some(
        f =>
          f.evidence.symbol?.toString().includes('from_pretrained') &&
          f.location.line === 8,
      ),
    ).toBe(false);
  });

  it('produces a finding with catalogue metadata for every source rule', () => {
    const sourceRules = new Set(findings.map(f => f.ruleId));
    expect(sourceRules.size).toBe(16);
    for (const finding of findings) {
      expect(finding.cwe.length).toBeGreaterThan(0);
      expect(finding.owaspLlm.length).toBeGreaterThan(0);
    }
  });
});
