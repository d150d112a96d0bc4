import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FACT_PYTHON_IMPORTS, type PythonImportFacts } from './facts';
import {
  analyzeSourceProject,
  declared,
  summarise,
} from './testing/sourceProject';

describe('PythonSourceAnalyzer', () => {
  it('reports a call with its location, resolved symbol, source line and guard', async () => {
    const { signals } = await analyzeSourceProject({
      'jobs/refresh.py':
        "import os\nif os.getenv('LEGACY'):\n    import dill as d\n\ndef restore(blob):\n    return   d.loads(blob)  # old cache\n",
    });
    expect(signals).toEqual([
      expect.objectContaining({
        ruleId: 'SOURCE-PICKLE-LOAD',
        severity: 'high',
        location: { path: 'jobs/refresh.py', line: 6, column: 14 },
        evidence: expect.objectContaining({
          symbol: 'dill.loads',
          snippet: 'return   d.loads(blob)  # old cache',
          guard: "if os.getenv('LEGACY'):",
          guardKind: 'environment',
        }),
      }),
    ]);
    expect(signals[0].message).toMatch(
      /guarded by `if os.getenv\('LEGACY'\):`/,
    );
  });

  it('keeps keys stable when lines move and distinct for repeated identical calls', async () => {
    const body =
      'import pickle\npickle.loads(a)\npickle.loads(a)\npickle.loads(b)\n';
    const before = await analyzeSourceProject({ 'a.py': body });
    const after = await analyzeSourceProject({
      'a.py': `"""Docstring."""\n\n\n${body.replace(
        'pickle.loads(b)',
        'pickle.loads( b )',
      )}`,
    });
    const keys = before.signals.map(signal => signal.key);
    expect(keys).toEqual([
      'pickle.loads|pickle.loads(a)',
      'pickle.loads|pickle.loads(a)#1',
      'pickle.loads|pickle.loads(b)',
    ]);
    expect(after.signals.map(signal => signal.key)).toEqual(keys);
    expect(after.signals[0].location.line).toBe(5);
  });

  it('grades torch.load with the locked torch version, falling back to an installed dist-info', async () => {
    const files = { 'serve.py': 'import torch\nmodel = torch.load(path)\n' };
    const unknown = await analyzeSourceProject(files);
    const locked = await analyzeSourceProject(files, {
      dependencies: {
        packages: [declared('torch', true, { version: '2.10.0' })],
        importToDistribution: {},
      },
    });
    const installed = await analyzeSourceProject({
      ...files,
      '.venv/lib/python3.12/site-packages/torch-2.5.1.dist-info/METADATA': '',
    });
    expect(summarise(unknown.signals, 'SOURCE-TORCH-LOAD')).toEqual([
      ['torch.load', 'high'],
    ]);
    expect(summarise(locked.signals, 'SOURCE-TORCH-LOAD')).toEqual([
      ['torch.load', 'low'],
    ]);
    expect(
      installed.signals.find(signal => signal.ruleId === 'SOURCE-TORCH-LOAD')
        ?.evidence.torchVersion,
    ).toBe('2.5.1');
  });

  describe('hardened modules', () => {
    const files = {
      'model_utils/__init__.py':
        'import joblib\n\ndef load_model(path):\n    verify_pin(path)\n    return joblib.load(path)\n',
      'app/predict.py':
        'import model_utils\nfrom model_utils import load_model as lm\nclf = model_utils.load_model(p)\nclf2 = lm(p)\n',
    };

    it('allows loaders inside and through them, and says so', async () => {
      const { signals } = await analyzeSourceProject(files, {
        hardenedModules: ['model_utils'],
      });
      expect(
        signals.map(signal => [
          signal.ruleId,
          signal.location.path,
          signal.evidence.symbol,
          signal.severity,
        ]),
      ).toEqual([
        [
          'SOURCE-HARDENED-LOADER',
          'app/predict.py',
          'model_utils.load_model',
          'info',
        ],
        [
          'SOURCE-HARDENED-LOADER',
          'app/predict.py',
          'model_utils.load_model',
          'info',
        ],
        [
          'SOURCE-HARDENED-LOADER',
          'model_utils/__init__.py',
          'joblib.load',
          'info',
        ],
      ]);
      expect(signals[2].message).toMatch(
        /^Allowed inside hardened module model_utils \(hardenedModules option\): joblib.load/,
      );
      expect(signals[2].evidence.firstPartyRule).toBe('SOURCE-PICKLE-LOAD');
    });

    it('reports the same loader when the module is not listed', async () => {
      const { signals } = await analyzeSourceProject(files);
      expect(summarise(signals, 'SOURCE-PICKLE-LOAD')).toEqual([
        ['joblib.load', 'high'],
      ]);
      expect(summarise(signals, 'SOURCE-HARDENED-LOADER')).toEqual([]);
    });
  });

  it('still analyses a file with syntax errors', async () => {
    const { signals } = await analyzeSourceProject({
      'broken.py': 'import yaml\ndef f(:\n  yaml.unsafe_load(s)\n',
    });
    expect(summarise(signals, 'SOURCE-YAML-UNSAFE-LOAD')).toEqual([
      ['yaml.unsafe_load', 'high'],
    ]);
  });

  it('treats unreadable and oversized files as signals, never as a silent pass', async () => {
    const big = `import pickle\n${'x = 1\n'.repeat(100)}`;
    const { signals } = await analyzeSourceProject(
      { 'big.py': big, 'site-packages/pkg/big.py': big },
      { maxTextBytes: 100 },
    );
    expect(
      signals.map(signal => [signal.ruleId, signal.location.path]),
    ).toEqual([
      ['SCAN-LIMIT', 'big.py'],
      ['SOURCE-PARSE-ERROR', 'site-packages/pkg/big.py'],
    ]);
  });

  it('publishes the imports of parsed first-party files and skips files the prefilter rules out', async () => {
    const { facts } = await analyzeSourceProject({
      'app/main.py':
        'import torch.nn as nn\nfrom .models import Net\nif not PRODUCTION:\n    import dill\n',
      'app/util.py': 'import json\n\ndef f():\n    return json.dumps({})\n',
      'site-packages/pkg/__init__.py': 'import pickle\n',
    });
    const published = facts.get(FACT_PYTHON_IMPORTS) as PythonImportFacts;
    expect(published).toMatchObject({
      firstPartyFiles: 2,
      parsedFiles: 1,
      prefiltered: true,
    });
    expect(published.imports).toEqual([
      {
        module: 'torch.nn',
        topLevel: 'torch',
        alias: 'nn',
        path: 'app/main.py',
        line: 1,
        guard: undefined,
      },
      {
        module: 'models',
        topLevel: 'models',
        name: 'Net',
        alias: undefined,
        relative: true,
        path: 'app/main.py',
        line: 2,
        guard: undefined,
      },
      {
        module: 'dill',
        topLevel: 'dill',
        path: 'app/main.py',
        line: 4,
        guard: 'if not PRODUCTION:',
      },
    ]);
  });

  describe('third-party packages', () => {
    const sitePackages = '.venv/lib/python3.11/site-packages';
    const dependencies = {
      packages: [
        declared('fastapi', true),
        declared('mlcache', false, {
          version: '0.4.0',
          paths: [['app', 'fastapi', 'mlcache']],
        }),
      ],
      importToDistribution: {},
    };
    const files = {
      'app.py': 'import json\n',
      [`${sitePackages}/mlcache/store.py`]:
        'import pickle\n\ndef get(key):\n    return pickle.loads(read(key))\n',
      [`${sitePackages}/mlcache/tests/test_store.py`]:
        'import pickle\npickle.loads(b)\n',
      [`${sitePackages}/mlcache-0.4.0.dist-info/METADATA`]: '',
      [`${sitePackages}/hubkit/load.py`]:
        'import torch\nstate = torch.load(f, weights_only=False)\n',
      [`${sitePackages}/torch/serialization.py`]:
        'import pickle\ndef load(f):\n    return pickle.Unpickler(f).load()\n',
      [`${sitePackages}/sklearn/utils/_cache.py`]:
        'import joblib\njoblib.load(p)\n',
      'lib/vendored_plugins/legacy-1.0.dist-info/top_level.txt': 'legacy_io\n',
      'lib/vendored_plugins/legacy_io/reader.py':
        'import yaml\nyaml.load(s, Loader=yaml.Loader)\n',
    };

    it('reports loaders in installed packages with package, version and dependency path, minus the allowlist', async () => {
      const { signals } = await analyzeSourceProject(files, { dependencies });
      const thirdParty = signals.filter(
        signal => signal.ruleId === 'SOURCE-THIRD-PARTY-DESERIALIZATION',
      );
      expect(
        thirdParty.map(signal => [
          signal.location.path.split('/').slice(-2).join('/'),
          signal.evidence.package,
          signal.severity,
        ]),
      ).toEqual([
        ['hubkit/load.py', 'hubkit', 'medium'],
        ['mlcache/store.py', 'mlcache', 'low'],
        ['legacy_io/reader.py', 'legacy', 'medium'],
      ]);
      expect(thirdParty[1].evidence).toMatchObject({
        symbol: 'pickle.loads',
        version: '0.4.0',
        dependencyPath: ['app', 'fastapi', 'mlcache'],
        firstPartyRule: 'SOURCE-PICKLE-LOAD',
      });
      expect(
        signals.filter(
          signal => signal.ruleId !== 'SOURCE-THIRD-PARTY-DESERIALIZATION',
        ),
      ).toEqual([]);
    });
  });

  it('never throws on mutated real service files', async () => {
    const fixture = join(__dirname, '__fixtures__', 'fraud-service', 'app');
    const originals = readdirSync(fixture).map(name =>
      readFileSync(join(fixture, name), 'utf8'),
    );
    const mutation = fc.record({
      file: fc.nat({ max: originals.length - 1 }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      cut: fc.nat({ max: 40 }),
      insert: fc.string({ maxLength: 20 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        async mutations => {
          const texts = [...originals];
          for (const { file, at, cut, insert } of mutations) {
            const position = Math.floor(at * texts[file].length);
            texts[file] =
              texts[file].slice(0, position) +
              insert +
              texts[file].slice(position + cut);
          }
          const { signals } = await analyzeSourceProject(
            Object.fromEntries(texts.map((text, i) => [`app/m${i}.py`, text])),
          );
          expect(
            signals.every(signal => signal.ruleId.startsWith('SOURCE-')),
          ).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never throws on arbitrary file contents', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('a.py', 'pkg/b.py', 'site-packages/x/c.py'),
          fc.string({ maxLength: 300 }),
        ),
        async files => {
          const { signals } = await analyzeSourceProject(
            Object.fromEntries(
              Object.entries(files).map(([path, text]) => [
                path,
                `import pickle\n${text}`,
              ]),
            ),
          );
          expect(Array.isArray(signals)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('treats every module of a serving project as serving code: model export there blocks', async () => {
    const files = {
      'inference.py':
        'import torch\n\ndef refresh(model):\n    torch.save(model, "/models/latest.pt")\n',
    };
    const exports = (signals: { ruleId: string }[]) =>
      signals.filter(s => s.ruleId === 'SOURCE-MODEL-EXPORT-PICKLE');
    // A training repository may save models anywhere outside its serving paths.
    expect(exports((await analyzeSourceProject(files)).signals)).toEqual([]);
    expect(
      exports(
        (await analyzeSourceProject(files, { servingProject: true })).signals,
      ),
    ).toEqual([
      expect.objectContaining({
        severity: 'high',
        location: expect.objectContaining({ path: 'inference.py', line: 4 }),
      }),
    ]);
  });
});
