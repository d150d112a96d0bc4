import { fixture } from '../__fixtures__';
import { parseUvLock } from './uvLock';
import { parsePoetryLock } from './poetryLock';
import { parsePdmLock } from './pdmLock';
import { parsePylock } from './pylock';
import { parsePipfile, parsePipfileLock } from './pipfile';

describe('uv.lock', () => {
  const result = parseUvLock(fixture('uv.lock'), 'uv.lock');
  const pkg = (name: string) => result.packages.find(p => p.name === name)!;

  it('marks the editable project as root with its dev group as direct dependencies', () => {
    expect(result.projectName).toBe('churn-model');
    expect(pkg('churn-model')).toMatchObject({
      isRoot: true,
      dependencies: ['scikit-learn', 'torch', 'transformers', 'pytest'],
    });
  });

  it('records versions, sources, hashes and line numbers', () => {
    expect(pkg('torch')).toMatchObject({
      version: '2.5.1+cu121',
      source: 'https://download.pytorch.org/whl/cu121',
      dependencies: ['filelock', 'sympy'],
    });
    expect(pkg('accelerate').hashes).toHaveLength(2);
    expect(pkg('joblib').line).toBe(
      fixture('uv.lock').split('\n').indexOf('name = "joblib"') + 1,
    );
  });

  it('expands optional dependencies for extras someone requested', () => {
    expect(pkg('transformers').dependencies).toEqual([
      'numpy',
      'safetensors',
      'accelerate',
      'torch',
    ]);
  });

  it('reports invalid TOML with its line', () => {
    expect(
      parseUvLock('[[package]]\nname = "x"\nversion = \n', 'uv.lock').problems,
    ).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining('invalid TOML'),
      }),
    ]);
  });
});

describe('poetry.lock', () => {
  const result = parsePoetryLock(fixture('poetry.lock'), 'poetry.lock');
  it('reads packages and required dependencies, leaving extras-only ones out', () => {
    expect(result.packages.find(p => p.name === 'dask')).toMatchObject({
      version: '2024.10.0',
      dependencies: ['click', 'cloudpickle'],
      hashes: [expect.stringMatching(/^sha256:/)],
    });
    expect(result.packages.map(p => p.name)).toEqual([
      'cloudpickle',
      'dask',
      'click',
      'keras',
      'numpy',
    ]);
  });
});

describe('pdm.lock', () => {
  it('reads PEP 508 dependency strings', () => {
    const result = parsePdmLock(fixture('pdm.lock'), 'pdm.lock');
    expect(
      result.packages.find(p => p.name === 'datasets')?.dependencies,
    ).toEqual(['dill', 'huggingface-hub', 'multiprocess']);
    expect(result.problems).toEqual([]);
  });
});

describe('pylock.toml', () => {
  it('reads packages, dependency tables, hashes and VCS sources', () => {
    const result = parsePylock(fixture('pylock.toml'), 'pylock.toml');
    expect(result.packages.find(p => p.name === 'onnx')).toMatchObject({
      version: '1.17.0',
      dependencies: ['numpy', 'protobuf'],
      hashes: [expect.stringMatching(/^sha256:0141/)],
    });
    expect(result.packages.find(p => p.name === 'acme-features')?.source).toBe(
      'git+https://git.acme.internal/ml/acme-features.git',
    );
    expect(result.problems).toEqual([]);
  });
});

describe('Pipfile.lock and Pipfile', () => {
  it('reads pinned packages of both sections and the sources', () => {
    const result = parsePipfileLock(fixture('Pipfile.lock'), 'Pipfile.lock');
    expect(result.packages.map(p => [p.name, p.version])).toEqual([
      ['jsonpickle', '3.3.0'],
      ['pandas', '2.2.3'],
      ['pytest', '8.3.3'],
    ]);
    expect(result.indexes.indexUrls.map(i => i.url)).toEqual([
      'https://pypi.org/simple',
    ]);
  });

  it('reports broken JSON', () => {
    expect(
      parsePipfileLock('{"default": ', 'Pipfile.lock').problems[0].message,
    ).toMatch(/invalid JSON/);
  });

  it('reads Pipfile packages and treats a second source as an extra index', () => {
    const text =
      '[[source]]\nurl = "https://pypi.org/simple"\nname = "pypi"\n[[source]]\nurl = "https://pypi.acme.internal/simple"\nname = "acme"\n[packages]\nrequests = "*"\ntorch = {version = "==2.6.0", index = "pytorch"}\n[dev-packages]\npytest = ">=8"\n';
    const result = parsePipfile(text, 'Pipfile');
    expect(result.requirements.map(r => [r.name, r.pinned, r.group])).toEqual([
      ['requests', undefined, undefined],
      ['torch', '2.6.0', undefined],
      ['pytest', undefined, 'dev'],
    ]);
    expect(result.indexes.extraIndexUrls[0]).toMatchObject({
      url: 'https://pypi.acme.internal/simple',
      line: 5,
    });
  });
});
