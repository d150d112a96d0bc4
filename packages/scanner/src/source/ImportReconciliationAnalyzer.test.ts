import { analyzeSourceProject, declared } from './testing/sourceProject';

const reconciliation = (
  signals: Awaited<ReturnType<typeof analyzeSourceProject>>['signals'],
) =>
  signals
    .filter(
      signal =>
        signal.ruleId === 'SOURCE-STALE-DEPENDENCY' ||
        signal.ruleId === 'SOURCE-UNDECLARED-IMPORT',
    )
    .map(signal => [
      signal.ruleId,
      signal.evidence.package,
      signal.location.path,
    ]);

describe('ImportReconciliationAnalyzer', () => {
  const files = {
    'app/train.py':
      'import torch\nimport cv2\nfrom sklearn.base import clone\n',
    'app/cache.py':
      'try:\n    import cloudpickle\nexcept ImportError:\n    cloudpickle = None\n',
    'app/config.py':
      "import importlib\nyaml = importlib.import_module('yaml')\n",
  };

  it('reports risky declarations nobody imports and risky imports nobody declared', async () => {
    const dependencies = {
      packages: [
        declared('torch', true, { version: '2.10.0' }),
        declared('dill', true, { declaredIn: ['pyproject.toml', 'uv.lock'] }),
        declared('joblib', true),
        declared('scikit-learn', true),
        declared('opencv-python', true),
        declared('cloudpickle', false, {
          paths: [['app', 'torch', 'cloudpickle']],
        }),
      ],
      importToDistribution: {},
    };
    const { signals } = await analyzeSourceProject(files, { dependencies });
    expect(reconciliation(signals)).toEqual([
      ['SOURCE-STALE-DEPENDENCY', 'dill', 'pyproject.toml'],
      ['SOURCE-STALE-DEPENDENCY', 'joblib', 'requirements.txt'],
      ['SOURCE-UNDECLARED-IMPORT', 'cloudpickle', 'app/cache.py'],
      ['SOURCE-UNDECLARED-IMPORT', 'pyyaml', 'app/config.py'],
    ]);
    const [, , transitive, missing] = signals.filter(
      signal =>
        signal.ruleId.startsWith('SOURCE-') &&
        /STALE|UNDECLARED/.test(signal.ruleId),
    );
    expect(transitive.evidence).toMatchObject({
      dependencyPath: ['app', 'torch', 'cloudpickle'],
      guard: 'try: … except ImportError:',
    });
    expect(transitive.message).toMatch(
      /only arrives transitively \(app → torch → cloudpickle\)/,
    );
    expect(missing.message).toMatch(/not declared in any manifest/);
  });

  it('maps import names through the published importToDistribution first', async () => {
    const dependencies = {
      packages: [declared('acme-torch-fork', true)],
      importToDistribution: { torch: 'acme-torch-fork' },
    };
    const { signals } = await analyzeSourceProject(
      { 'a.py': 'import torch\n' },
      { dependencies },
    );
    expect(reconciliation(signals)).toEqual([]);
  });

  it('stays quiet without a dependency graph or without Python source', async () => {
    expect(reconciliation((await analyzeSourceProject(files)).signals)).toEqual(
      [],
    );
    const onlyManifests = await analyzeSourceProject(
      {},
      {
        dependencies: {
          packages: [declared('dill', true)],
          importToDistribution: {},
        },
      },
    );
    expect(reconciliation(onlyManifests.signals)).toEqual([]);
  });
});
