import { fixture } from '../__fixtures__';
import { parsePyproject, poetryConstraintToClauses } from './pyproject';
import { parseCondaEnvironment } from './condaEnvironment';
import { parseSetupCfg } from './setupCfg';
import { parseSetupPy } from './setupPy';
import { parseInstalledDistribution, readCoreMetadata } from './distInfo';

describe('pyproject.toml', () => {
  const text = `[project]
name = "Churn_Model"
dependencies = ["scikit-learn>=1.5", "torch>=2.4"]

[project.optional-dependencies]
gpu = ["onnxruntime-gpu==1.19.2"]

[dependency-groups]
test = ["pytest>=8"]
lint = ["ruff"]
dev = [{include-group = "test"}, {include-group = "lint"}, "ipython"]
loop = [{include-group = "loop"}]

[tool.poetry.dependencies]
python = "^3.11"
numpy = "^1.26"
xgboost = "2.1.1"
internal-lib = { git = "https://git.acme.internal/lib.git", rev = "0123456789abcdef0123456789abcdef01234567" }

[tool.poetry.group.docs.dependencies]
mkdocs = "~1.6"
`;
  const result = parsePyproject(text, 'pyproject.toml');
  const find = (name: string, group?: string) =>
    result.requirements.find(r => r.name === name && r.group === group);

  it('reads PEP 621 dependencies and extras with lines', () => {
    expect(result.projectName).toBe('Churn_Model');
    expect(find('torch')).toMatchObject({ specifier: '>=2.4', line: 3 });
    expect(find('onnxruntime-gpu', 'optional:gpu')?.pinned).toBe('1.19.2');
  });

  it('expands PEP 735 include-group and reports cycles', () => {
    expect(
      result.requirements.filter(r => r.group === 'dev').map(r => r.name),
    ).toEqual(['pytest', 'ruff', 'ipython']);
    expect(result.problems).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('include cycle: loop → loop'),
      }),
    ]);
  });

  it('reads Poetry constraints: bare versions are pins, carets are ranges, git revs are commit pins', () => {
    expect(find('xgboost')?.pinned).toBe('2.1.1');
    expect(find('numpy')).toMatchObject({
      pinned: undefined,
      clauses: [
        { operator: '>=', version: '1.26' },
        { operator: '<', version: '2' },
      ],
    });
    expect(find('internal-lib')).toMatchObject({ urlPinnedToCommit: true });
    expect(find('mkdocs', 'docs')?.clauses).toEqual([
      { operator: '>=', version: '1.6' },
      { operator: '<', version: '1.7' },
    ]);
    expect(result.requirements.some(r => r.name === 'python')).toBe(false);
  });

  it('converts caret constraints with leading zeros like Poetry', () => {
    expect(poetryConstraintToClauses('^0.2.3')).toEqual([
      { operator: '>=', version: '0.2.3' },
      { operator: '<', version: '0.3' },
    ]);
    expect(poetryConstraintToClauses('>=1,<2')).toEqual([
      { operator: '>=', version: '1' },
      { operator: '<', version: '2' },
    ]);
  });
});

describe('conda environment.yml', () => {
  const result = parseCondaEnvironment(
    fixture('environment.yml'),
    'environment.yml',
  );
  it('maps conda names to PyPI names, pins only exact versions, and reads the pip section', () => {
    expect(result.requirements.map(r => [r.name, r.pinned ?? null])).toEqual([
      ['torch', '2.4.1'],
      ['numpy', null],
      ['scikit-learn', '1.5.2'],
      ['timm', '1.0.9'],
      ['open-clip-torch', null],
    ]);
    expect(result.indexes.extraIndexUrls[0].url).toBe(
      'https://pypi.acme.internal/simple',
    );
    expect(result.requirements.find(r => r.name === 'timm')?.line).toBe(14);
  });

  it('reports YAML errors and caps aliases', () => {
    expect(
      parseCondaEnvironment('dependencies: [a, b', 'environment.yml')
        .problems[0].message,
    ).toMatch(/invalid YAML/);
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from(
      { length: 8 },
      (_, i) =>
        `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(9)
          .fill(i === 0 ? '*a' : `*${'b'.repeat(i)}`)
          .join(',')}]`,
    ).join('\n')}\n`;
    expect(
      parseCondaEnvironment(bomb, 'environment.yml').problems[0].message,
    ).toMatch(/invalid YAML/);
  });
});

describe('setup.cfg and setup.py', () => {
  it('reads multi-line install_requires and extras from setup.cfg', () => {
    const result = parseSetupCfg(fixture('setup.cfg'), 'setup.cfg');
    expect(result.projectName).toBe('feature-store-client');
    expect(result.requirements.map(r => [r.name, r.line, r.group])).toEqual([
      ['requests', 9, undefined],
      ['joblib', 10, undefined],
      ['pyyaml', 11, undefined],
      ['cupy-cuda12x', 15, 'optional:gpu'],
    ]);
  });

  it('extracts a literal install_requires list from setup.py without running it', () => {
    const result = parseSetupPy(fixture('setup.py'), 'setup.py');
    expect(result.projectName).toBe('legacy-scorer');
    expect(
      result.requirements.map(r => [r.name, r.pinned ?? null, r.line]),
    ).toEqual([
      ['numpy', null, 8],
      ['dill', '0.3.6', 9],
      ['tensorfiow', null, 10],
    ]);
  });

  it('reports a computed install_requires at low severity', () => {
    const result = parseSetupPy(
      'setup(install_requires=read_requirements())\nsetup(install_requires=["a", b])',
      'setup.py',
    );
    expect(result.problems.map(p => p.severity)).toEqual(['low', 'low']);
  });
});

describe('installed distributions', () => {
  const metadata = fixture(
    'venv/lib/python3.11/site-packages/torch-2.5.1.dist-info/METADATA',
  );

  it('reads core metadata headers and stops at the body', () => {
    expect(readCoreMetadata(metadata)).toMatchObject({
      name: 'torch',
      version: '2.5.1',
      license: 'BSD-3',
      classifiers: expect.arrayContaining([
        'License :: OSI Approved :: BSD License',
      ]),
    });
  });

  it('leaves extra-only requirements out and maps import names from top_level.txt', () => {
    const result = parseInstalledDistribution(
      metadata,
      'site-packages/torch-2.5.1.dist-info/METADATA',
      { topLevel: 'functorch\ntorch\ntorchgen\n' },
    );
    expect(result.packages[0].dependencies).toEqual([
      'filelock',
      'typing-extensions',
      'sympy',
    ]);
    expect(result.importNames).toEqual({
      functorch: 'torch',
      torch: 'torch',
      torchgen: 'torch',
    });
  });

  it('derives import names from RECORD, ignoring paths outside site-packages', () => {
    const result = parseInstalledDistribution(
      fixture(
        'venv/lib/python3.11/site-packages/PyYAML-6.0.2.dist-info/METADATA',
      ),
      'x/METADATA',
      {
        record: fixture(
          'venv/lib/python3.11/site-packages/PyYAML-6.0.2.dist-info/RECORD',
        ),
      },
    );
    expect(result.importNames).toEqual({ _yaml: 'pyyaml', yaml: 'pyyaml' });
  });

  it('reports METADATA without a Name', () => {
    expect(
      parseInstalledDistribution('Version: 1\n', 'x/METADATA').problems[0]
        .message,
    ).toMatch(/no Name/);
  });
});
