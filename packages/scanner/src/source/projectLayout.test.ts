import { describePythonLayout, hardenedModuleOf } from './projectLayout';

describe('describePythonLayout', () => {
  it('separates the project, installed packages, vendored code and tool folders', () => {
    const layout = describePythonLayout([
      'app/main.py',
      'app/api/routes.py',
      'scripts/train.py',
      'build/lib/app/main.py',
      '.tox/py311/lib/helper.py',
      '.venv/bin/activate_this.py',
      '.venv/lib/python3.12/site-packages/requests/api.py',
      '.venv/lib/python3.12/site-packages/requests/tests/test_api.py',
      '.venv/lib/python3.12/site-packages/six.py',
      'wheelhouse/legacy-2.0.dist-info/top_level.txt',
      'wheelhouse/legacy/io.py',
      'app/_vendor/tinyyaml/loader.py',
      'README.md',
    ]);
    expect(layout.firstParty).toEqual([
      { path: 'app/main.py', servingPath: true },
      { path: 'app/api/routes.py', servingPath: true },
      { path: 'scripts/train.py', servingPath: false },
    ]);
    expect(
      layout.thirdParty.map(file => [file.topLevel, file.packagePath]),
    ).toEqual([
      ['requests', 'requests/api.py'],
      ['six', 'six.py'],
      ['legacy', 'legacy/io.py'],
      ['tinyyaml', 'tinyyaml/loader.py'],
    ]);
    expect(layout.installed).toEqual([
      {
        name: 'legacy',
        version: '2.0',
        root: 'wheelhouse',
        topLevelFile: 'wheelhouse/legacy-2.0.dist-info/top_level.txt',
      },
    ]);
  });

  it('treats everything as installed when the scan root is a site-packages folder', () => {
    const layout = describePythonLayout([
      'torch-2.5.1.dist-info/RECORD',
      'torch/serialization.py',
    ]);
    expect(layout.firstParty).toEqual([]);
    expect(layout.thirdParty.map(file => file.packagePath)).toEqual([
      'torch/serialization.py',
    ]);
  });
});

describe('hardenedModuleOf', () => {
  it('matches a module, its package folder and dotted sub-modules, not look-alikes', () => {
    expect(
      hardenedModuleOf('src/model_utils/__init__.py', ['model_utils']),
    ).toBe('model_utils');
    expect(hardenedModuleOf('model_utils.py', ['model_utils'])).toBe(
      'model_utils',
    );
    expect(hardenedModuleOf('acme/ml/loaders.py', ['acme.ml'])).toBe('acme.ml');
    expect(
      hardenedModuleOf('app/model_utils_legacy.py', ['model_utils']),
    ).toBeUndefined();
  });
});
