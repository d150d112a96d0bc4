import { classifyCall, type CallContext } from './classifyCall';
import { readSource } from './testing/sourceProject';

async function observe(source: string, context: Partial<CallContext> = {}) {
  const { calls } = await readSource(source);
  return calls.flatMap(call =>
    classifyCall(call, { serving: false, ...context }),
  );
}

async function grade(source: string, context: Partial<CallContext> = {}) {
  return (await observe(source, context)).map(observation => [
    observation.ruleId,
    observation.symbol,
    observation.severity,
  ]);
}

describe('classifyCall', () => {
  it('reports every pickle-family loader as high', async () => {
    const source = [
      'import pickle, _pickle, dill, cloudpickle, joblib, shelve, marshal, jsonpickle',
      'import pandas as pd',
      'pickle.load(f); pickle.loads(b); pickle.Unpickler(f).load(); _pickle.loads(b)',
      'dill.load(f); cloudpickle.loads(b); joblib.load(p); shelve.open(p); marshal.loads(b)',
      'jsonpickle.decode(s); pd.read_pickle(p)',
    ].join('\n');
    const findings = await grade(source);
    expect(findings.map(([, symbol]) => symbol)).toEqual([
      'pickle.load',
      'pickle.loads',
      'pickle.Unpickler',
      '_pickle.loads',
      'dill.load',
      'cloudpickle.loads',
      'joblib.load',
      'shelve.open',
      'marshal.loads',
      'jsonpickle.decode',
      'pandas.read_pickle',
    ]);
    expect(
      new Set(findings.map(([rule, , severity]) => `${rule}/${severity}`)),
    ).toEqual(new Set(['SOURCE-PICKLE-LOAD/high']));
  });

  it('does not report pickle writers, safe loaders or look-alike methods outside serving code', async () => {
    const source =
      'import pickle, json, yaml, numpy as np\npickle.dumps(x)\njson.loads(s)\nyaml.safe_load(s)\nnp.load(p)\nmodel.load(p)';
    expect(await observe(source)).toEqual([]);
  });

  describe('torch.load by torch version', () => {
    const cases: Array<
      [string, string | undefined, string | undefined, string | undefined]
    > = [
      // call, locked version, expected severity, expected CVE
      ['torch.load(f, weights_only=False)', '2.10.0', 'high', undefined],
      [
        'torch.load(f, pickle_module=dill, weights_only=True)',
        '2.10.0',
        'high',
        undefined,
      ],
      ['torch.load(f)', undefined, 'high', undefined],
      ['torch.load(f)', '2.5.1', 'high', undefined],
      ['torch.load(f)', '2.7.1+cu121', 'medium', 'CVE-2026-24747'],
      ['torch.load(f)', '2.10.0', 'low', undefined],
      ['torch.load(f, weights_only=True)', '2.5.1', 'high', 'CVE-2025-32434'],
      [
        'torch.load(f, weights_only=True)',
        undefined,
        'medium',
        'CVE-2025-32434',
      ],
      ['torch.load(f, weights_only=True)', '2.8.0', 'low', 'CVE-2026-24747'],
      ['torch.load(f, weights_only=True)', '2.10.1', undefined, undefined],
      ['torch.load(f, weights_only=cfg.safe)', '2.10.0', 'medium', undefined],
    ];
    it.each(cases)(
      '%s on torch %s → %s',
      async (call, torchVersion, severity, cve) => {
        const [observation] = await observe(`import torch, dill\n${call}`, {
          torchVersion,
        });
        expect(observation?.severity).toBe(severity);
        expect(observation?.ruleId).toBe(severity && 'SOURCE-TORCH-LOAD');
        expect(observation?.details?.cve).toBe(cve);
      },
    );

    it('says when the version is unknown', async () => {
      const [observation] = await observe('import torch\ntorch.load(f)');
      expect(observation.message).toMatch(/version is unknown/);
      expect(observation.details?.torchVersion).toBe('unknown');
    });
  });

  it('grades yaml loaders by the Loader they use', async () => {
    const source = [
      'import yaml',
      'from yaml import SafeLoader, FullLoader as FL',
      'yaml.load(s)',
      'yaml.load(s, Loader=yaml.Loader)',
      'yaml.load(s, yaml.UnsafeLoader)',
      'yaml.unsafe_load(s)',
      'yaml.load(s, Loader=FL)',
      'yaml.full_load(s)',
      'yaml.load(s, Loader=SafeLoader)',
      'yaml.load(s, Loader=yaml.CSafeLoader)',
      'yaml.load(s, Loader=MyLoader)',
    ].join('\n');
    expect((await grade(source)).map(([, , severity]) => severity)).toEqual([
      'high',
      'high',
      'high',
      'high',
      'medium',
      'medium',
      'medium',
    ]);
  });

  it('reports numpy.load only when allow_pickle may be true', async () => {
    const source =
      'import numpy as np\nnp.load(p, allow_pickle=True)\nnp.load(p, allow_pickle=False)\nnp.load(p, allow_pickle=flag)';
    expect(await grade(source)).toEqual([
      ['SOURCE-NUMPY-ALLOW-PICKLE', 'numpy.load', 'high'],
      ['SOURCE-NUMPY-ALLOW-PICKLE', 'numpy.load', 'medium'],
    ]);
  });

  it('reports Keras safe_mode=False and the global unsafe switch', async () => {
    const source = [
      'import keras',
      'from tensorflow.keras.models import load_model',
      'keras.models.load_model(p, safe_mode=False)',
      'load_model(p, safe_mode=False)',
      'load_model(p)',
      'keras.config.enable_unsafe_deserialization()',
    ].join('\n');
    expect(await grade(source)).toEqual([
      ['SOURCE-KERAS-UNSAFE-MODE', 'keras.models.load_model', 'high'],
      [
        'SOURCE-KERAS-UNSAFE-MODE',
        'tensorflow.keras.models.load_model',
        'high',
      ],
      [
        'SOURCE-KERAS-UNSAFE-MODE',
        'keras.config.enable_unsafe_deserialization',
        'high',
      ],
    ]);
  });

  it('reports graph loaders and trust_remote_code', async () => {
    const source = [
      'import tensorflow as tf, torch',
      'from transformers import AutoModel',
      'tf.saved_model.load(p)',
      'torch.jit.load(p)',
      'AutoModel.from_pretrained(repo, trust_remote_code=True)',
      'AutoModel.from_pretrained(repo, trust_remote_code=args.trust)',
      'AutoModel.from_pretrained(repo, trust_remote_code=False)',
    ].join('\n');
    expect(await grade(source)).toEqual([
      ['SOURCE-GRAPH-MODEL-LOAD', 'tensorflow.saved_model.load', 'medium'],
      ['SOURCE-GRAPH-MODEL-LOAD', 'torch.jit.load', 'medium'],
      [
        'SOURCE-TRUST-REMOTE-CODE',
        'transformers.AutoModel.from_pretrained',
        'high',
      ],
      [
        'SOURCE-TRUST-REMOTE-CODE',
        'transformers.AutoModel.from_pretrained',
        'medium',
      ],
    ]);
  });

  it('reports model exports only in serving code, and only of model-like objects', async () => {
    const source =
      'import torch, joblib\ntorch.save(model.state_dict(), p)\njoblib.dump(clf, p)\njoblib.dump(cache, p)';
    expect(await observe(source, { serving: false })).toEqual([]);
    expect(await grade(source, { serving: true })).toEqual([
      ['SOURCE-MODEL-EXPORT-PICKLE', 'torch.save', 'high'],
      ['SOURCE-MODEL-EXPORT-PICKLE', 'joblib.dump', 'high'],
    ]);
  });

  it('grades dynamic imports by what they import and how the name is built', async () => {
    const source = [
      'import importlib',
      "__import__('pickle')",
      "importlib.import_module('app.plugins.' + name)",
      "importlib.import_module('pic' + 'kle')",
      "importlib.import_module('app.plugins')",
    ].join('\n');
    expect(await grade(source)).toEqual([
      ['SOURCE-DYNAMIC-IMPORT', '__import__:pickle', 'medium'],
      ['SOURCE-DYNAMIC-IMPORT', 'importlib.import_module', 'medium'],
      ['SOURCE-DYNAMIC-IMPORT', 'importlib.import_module:pickle', 'high'],
      ['SOURCE-DYNAMIC-IMPORT', 'importlib.import_module:app.plugins', 'info'],
    ]);
  });

  it('catches getattr obfuscation on sensitive modules and resolves the hidden symbol', async () => {
    const source = [
      'import pickle as p, os',
      "getattr(p, 'lo' + 'ads')(blob)",
      'getattr(os, name)(cmd)',
      "getattr(p, 'loads')(blob)",
      "getattr(config, 'lo' + 'ad')",
    ].join('\n');
    expect(await grade(source)).toEqual([
      ['SOURCE-PICKLE-LOAD', 'pickle.loads', 'high'],
      ['SOURCE-OBFUSCATED-GETATTR', 'pickle.loads', 'high'],
      ['SOURCE-OBFUSCATED-GETATTR', 'os.?', 'high'],
      ['SOURCE-PICKLE-LOAD', 'pickle.loads', 'high'],
    ]);
  });

  it('grades exec and eval by what they run, ignoring model.eval()', async () => {
    const source = [
      'import base64',
      "exec('x = 1')",
      'eval(expression)',
      'exec(base64.b64decode(blob))',
      'model.eval()',
    ].join('\n');
    expect(await grade(source)).toEqual([
      ['SOURCE-EXEC-STRING', 'exec', 'low'],
      ['SOURCE-EXEC-STRING', 'eval', 'medium'],
      ['SOURCE-EXEC-STRING', 'exec', 'high'],
    ]);
  });
});
