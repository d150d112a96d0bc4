import { fixture } from './__fixtures__';
import { buildDependencyGraph } from './graph';
import { parseUvLock } from './parsers/uvLock';
import { parsePyproject } from './parsers/pyproject';
import { parsePoetryLock } from './parsers/poetryLock';
import { parseRequirementsText } from './parsers/requirementsTxt';
import { parseInstalledDistribution } from './parsers/distInfo';

describe('buildDependencyGraph', () => {
  it('flattens a uv.lock from its workspace root with shortest paths first', () => {
    const graph = buildDependencyGraph(
      [parseUvLock(fixture('uv.lock'), 'uv.lock')],
      'checkout',
    );
    const pkg = (name: string) => graph.packages.get(name)!;
    expect(graph.roots).toContain('churn-model');
    expect(pkg('joblib')).toMatchObject({
      direct: false,
      paths: [['churn-model', 'scikit-learn', 'joblib']],
      version: '1.4.2',
    });
    expect(pkg('torch')).toMatchObject({
      direct: true,
      version: '2.5.1+cu121',
    });
    expect(pkg('torch').paths[0]).toEqual(['churn-model', 'torch']);
    // numpy arrives through two parents at the same depth: both shortest paths are kept (deeper ones are not).
    expect(pkg('numpy').paths).toEqual([
      ['churn-model', 'scikit-learn', 'numpy'],
      ['churn-model', 'transformers', 'numpy'],
    ]);
    expect(pkg('accelerate').paths).toEqual([
      ['churn-model', 'transformers', 'accelerate'],
    ]);
    expect(pkg('pytest').direct).toBe(true);
    expect(graph.packages.has('churn-model')).toBe(false);
  });

  it('uses pyproject as the root for a Poetry lock, which records no root', () => {
    const pyproject = parsePyproject(
      '[tool.poetry]\nname = "tabular"\n[tool.poetry.dependencies]\npython = "^3.11"\ndask = "^2024.10"\nkeras = "3.8.0"\n',
      'pyproject.toml',
    );
    const graph = buildDependencyGraph(
      [pyproject, parsePoetryLock(fixture('poetry.lock'), 'poetry.lock')],
      'checkout',
    );
    expect(graph.packages.get('cloudpickle')).toMatchObject({
      direct: false,
      paths: [['tabular', 'dask', 'cloudpickle']],
      declaredIn: ['poetry.lock'],
    });
    expect(graph.packages.get('keras')).toMatchObject({
      direct: true,
      version: '3.8.0',
      declaredIn: ['poetry.lock', 'pyproject.toml'],
    });
  });

  it('prefers installed versions over pins, and ignores constraint-only names', () => {
    const requirements = parseRequirementsText(
      'torch==2.4.0\n',
      'requirements.txt',
    ).result;
    const constraints = parseRequirementsText(
      'torch==2.4.0\nurllib3<3\n',
      'constraints.txt',
      { constraint: true },
    ).result;
    const installed = parseInstalledDistribution(
      'Name: torch\nVersion: 2.4.1\nRequires-Dist: filelock\n',
      'venv/torch.dist-info/METADATA',
    );
    const graph = buildDependencyGraph(
      [requirements, constraints, installed],
      'svc',
    );
    expect(graph.packages.get('torch')).toMatchObject({
      version: '2.4.1',
      direct: true,
    });
    expect(graph.packages.get('filelock')?.paths).toEqual([
      ['svc', 'torch', 'filelock'],
    ]);
    expect(graph.packages.has('urllib3')).toBe(false);
  });

  it('treats what nothing depends on as direct when nothing is declared (a bare virtualenv)', () => {
    const a = parseInstalledDistribution(
      'Name: app-lib\nVersion: 1\nRequires-Dist: six\n',
      'a/METADATA',
    );
    const b = parseInstalledDistribution(
      'Name: six\nVersion: 1.16.0\n',
      'b/METADATA',
    );
    const graph = buildDependencyGraph([a, b], 'My Folder');
    expect(graph.packages.get('app-lib')).toMatchObject({
      direct: true,
      paths: [['my folder', 'app-lib']],
    });
    expect(graph.packages.get('six')).toMatchObject({
      direct: false,
      paths: [['my folder', 'app-lib', 'six']],
    });
  });

  it('survives dependency cycles', () => {
    const a = parseInstalledDistribution(
      'Name: a\nVersion: 1\nRequires-Dist: b\n',
      'a/METADATA',
    );
    const b = parseInstalledDistribution(
      'Name: b\nVersion: 1\nRequires-Dist: a\n',
      'b/METADATA',
    );
    const requirements = parseRequirementsText(
      'a==1\n',
      'requirements.txt',
    ).result;
    const graph = buildDependencyGraph([requirements, a, b], 'x');
    expect(graph.packages.get('b')?.paths).toEqual([['x', 'a', 'b']]);
    expect(graph.packages.get('a')?.paths).toEqual([['x', 'a']]);
  });
});
