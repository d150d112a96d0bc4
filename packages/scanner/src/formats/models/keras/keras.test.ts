import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scanner } from '../../../engine/Scanner';
import { kerasConfigReader } from './configReader';
import { kerasH5Reader } from './h5Reader';
import { holdsKerasObject, inspectKerasConfig } from './kerasConfig';
import { MODEL_FORMAT_READERS } from '../index';
import { assertReaderIsRobust } from '../common/__testUtils__/fuzzReader';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '..', '__fixtures__', name));
const scan = (bytes: Uint8Array, name: string) =>
  new Scanner({ readers: [kerasConfigReader, kerasH5Reader] }).scanBytes(
    bytes,
    name,
  );
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
/** Every model-format reader, as in a `.keras` archive scan, where config.json is contested. */
const scanConfigJson = (bytes: Uint8Array) =>
  new Scanner({ readers: MODEL_FORMAT_READERS }).scanBytes(
    bytes,
    'config.json',
  );
const lambdaLayer = {
  module: 'keras.layers',
  class_name: 'Lambda',
  config: {
    name: 'evil',
    function: { class_name: '__lambda__', config: { code: 'AA==' } },
  },
  registered_name: 'Lambda',
};

/** A Keras 3 functional model config holding the given layers. */
function functional(...layers: object[]) {
  return {
    module: 'keras',
    class_name: 'Functional',
    config: {
      name: 'm',
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, 4] },
          registered_name: null,
        },
        ...layers,
        {
          module: 'keras.layers',
          class_name: 'Dense',
          config: {
            units: 2,
            activation: 'relu',
            kernel_initializer: {
              module: 'keras.initializers',
              class_name: 'GlorotUniform',
              config: { seed: null },
              registered_name: null,
            },
            dtype: {
              module: 'keras',
              class_name: 'DTypePolicy',
              config: { name: 'float32' },
              registered_name: null,
            },
          },
          registered_name: null,
        },
      ],
    },
    registered_name: 'Functional',
  };
}

describe('Keras config reader (.keras config.json)', () => {
  it('passes a Dense-only model (corpus dense.keras config)', async () => {
    const result = await scan(
      fixture('dense.keras.config.json'),
      'config.json',
    );
    expect(result.findings).toEqual([]);
    expect(result.files[0].formats).toContain('keras-config');
  });

  it('passes a realistic Keras 3 functional config', async () => {
    expect((await scan(json(functional()), 'config.json')).findings).toEqual(
      [],
    );
  });

  it('blocks a Lambda layer with marshalled code (corpus lambda.keras config)', async () => {
    const result = await scan(
      fixture('lambda.keras.config.json'),
      'config.json',
    );
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['MODEL-KERAS-LAMBDA', 'critical'],
    ]);
  });

  it('blocks the CVE-2025-9906 chain: enable_unsafe_deserialization then load_model', async () => {
    const config = functional(
      {
        module: 'keras.layers',
        class_name: 'Lambda',
        config: {
          name: 'unsafe',
          function: {
            module: 'keras.config',
            class_name: 'function',
            config: 'enable_unsafe_deserialization',
            registered_name: 'function',
          },
        },
      },
      {
        module: 'keras.layers',
        class_name: 'Lambda',
        config: {
          name: 'load',
          function: {
            module: 'keras.models',
            class_name: 'function',
            config: 'load_model',
            registered_name: 'function',
          },
          arguments: { safe_mode: false },
        },
      },
    );
    const result = await scan(json(config), 'config.json');
    const unsafe = result.findings
      .filter(f => f.ruleId === 'MODEL-KERAS-UNSAFE-FUNCTION')
      .map(f => f.evidence.symbol);
    expect(unsafe.sort()).toEqual([
      'keras.config.enable_unsafe_deserialization',
      'keras.models.load_model',
    ]);
    expect(
      result.findings.filter(f => f.ruleId === 'MODEL-KERAS-LAMBDA'),
    ).toHaveLength(2);
    expect(result.findings.every(f => f.severity === 'critical')).toBe(true);
  });

  it.each([
    [
      { module: 'keras.utils', class_name: 'function', config: 'get_file' },
      'keras.utils.get_file',
    ],
    [
      {
        module: 'keras.layers',
        class_name: 'TorchModuleWrapper',
        config: { module: 'gASV' },
      },
      'keras.layers.TorchModuleWrapper',
    ],
    [
      {
        module: 'keras.layers',
        class_name: 'TFSMLayer',
        config: { filepath: '/tmp/evil' },
      },
      'keras.layers.TFSMLayer',
    ],
    [{ module: 'os', class_name: 'function', config: 'system' }, 'os.system'],
    [
      { module: 'builtins', class_name: 'function', config: 'exec' },
      'builtins.exec',
    ],
  ])('blocks the gadget %#', async (gadget, symbol) => {
    const config = functional({
      module: 'keras.layers',
      class_name: 'Dense',
      config: { units: 1, activation: gadget },
    });
    const result = await scan(json(config), 'config.json');
    // TFSMLayer's filepath is also reported as a file read (MODEL-KERAS-FILE-ACCESS).
    expect(
      result.findings
        .filter(f => f.ruleId !== 'MODEL-KERAS-FILE-ACCESS')
        .map(f => [f.ruleId, f.severity, f.evidence.symbol]),
    ).toEqual([['MODEL-KERAS-UNSAFE-FUNCTION', 'critical', symbol]]);
  });

  it('flags custom objects from outside Keras as high, naming the module', async () => {
    const config = functional(
      {
        module: 'my_project.layers',
        class_name: 'Attention',
        config: {},
        registered_name: 'my_project>Attention',
      },
      {
        module: 'keras_hub.src.layers',
        class_name: 'RotaryEmbedding',
        config: {},
        registered_name: 'keras_hub>RotaryEmbedding',
      },
      { class_name: 'Swish', config: {}, registered_name: 'Custom>Swish' },
    );
    const result = await scan(json(config), 'config.json');
    expect(
      result.findings.map(f => [f.ruleId, f.severity, f.evidence.symbol]),
    ).toEqual([
      ['MODEL-KERAS-CUSTOM-OBJECT', 'high', 'my_project.layers.Attention'],
      ['MODEL-KERAS-CUSTOM-OBJECT', 'high', 'Custom>Swish'],
    ]);
  });

  it('recovers the names used by Lambda bytecode for the reviewer', () => {
    const code = Buffer.from(
      '\xe3\x00\x00\x00\x02os\xda\x06system\xda\x02id',
      'latin1',
    ).toString('base64');
    const { issues } = inspectKerasConfig({
      class_name: 'Lambda',
      config: { name: 'l', function: [code, null, null] },
    });
    expect(issues[0].codeNames).toEqual(
      expect.arrayContaining(['os', 'system']),
    );
  });

  it('finds lambdas used as activations', () => {
    const { issues } = inspectKerasConfig(
      functional({
        module: 'keras.layers',
        class_name: 'Dense',
        config: {
          activation: { class_name: '__lambda__', config: { code: 'AA==' } },
        },
      }),
    );
    expect(issues.map(i => i.ruleId)).toEqual(['MODEL-KERAS-LAMBDA']);
  });

  it('does not claim a Hugging Face config.json', () => {
    const hf = json({
      architectures: ['BertModel'],
      model_type: 'bert',
      class_name: 'x',
    });
    expect(kerasConfigReader.sniff(hf, 'config.json', hf.length)).toBe(false);
  });

  it('still finds a Lambda when a Hugging Face key in config.json is a decoy', async () => {
    const result = await scanConfigJson(
      json({ ...functional(lambdaLayer), model_type: 'bert' }),
    );
    expect(result.findings.map(f => f.ruleId)).toContain('MODEL-KERAS-LAMBDA');
  });

  it('decides on the parsed config.json, not on a head padded past the sniffed bytes', async () => {
    const body = JSON.stringify(functional(lambdaLayer));
    const padded = `{"_comment": "${'A'.repeat(5000)}", ${body.slice(1)}`;
    const result = await scanConfigJson(Buffer.from(padded));
    expect(result.findings.map(f => f.ruleId)).toContain('MODEL-KERAS-LAMBDA');
  });

  it('runs the Hugging Face checks on a Keras-shaped config.json with auto_map past the head', async () => {
    const config = {
      ...functional(),
      _comment: 'A'.repeat(5000),
      auto_map: { AutoModel: 'attacker/other-repo--modeling.Evil' },
    };
    const result = await scanConfigJson(json(config));
    expect(result.files[0].formats).toContain('keras-config');
    expect(result.findings.map(f => [f.ruleId, f.evidence.repository])).toEqual(
      [['MODEL-REMOTE-CODE', 'attacker/other-repo']],
    );
  });

  it('claims a Keras export after a BOM and leading blank lines', () => {
    const bytes = Buffer.from(
      `\uFEFF${'\n'.repeat(100)}${JSON.stringify(functional())}`,
    );
    expect(kerasConfigReader.sniff(bytes, 'model.json', bytes.length)).toBe(
      true,
    );
  });

  it('tells serialised Keras objects from plain Hugging Face configs', () => {
    expect(holdsKerasObject({ model_type: 'bert', hidden_size: 768 })).toBe(
      false,
    );
    expect(
      holdsKerasObject({
        model_type: 'bert',
        extra: [{ nested: lambdaLayer }],
      }),
    ).toBe(true);
  });

  it('passes a plain Hugging Face config.json without Keras findings', async () => {
    const result = await scanConfigJson(
      json({
        architectures: ['BertModel'],
        model_type: 'bert',
        class_name: 'x',
      }),
    );
    expect(result.findings).toEqual([]);
    expect(result.files[0].formats).not.toContain('keras-config');
  });

  it('stops on deep nesting with a limit finding instead of overflowing', async () => {
    let deep: unknown = { class_name: 'Dense' };
    for (let i = 0; i < 1000; i++)
      deep = { class_name: 'Wrapper', config: { layer: deep } };
    const result = await scan(json(deep), 'config.json');
    expect(result.findings.map(f => f.ruleId)).toEqual(['SCAN-LIMIT']);
  });

  it('never throws on arbitrary or mutated input', async () => {
    await expect(
      assertReaderIsRobust(kerasConfigReader, 'config.json', [
        fixture('lambda.keras.config.json'),
        json(functional()),
      ]),
    ).resolves.toBeUndefined();
  });
});

describe('Keras HDF5 reader (.h5)', () => {
  it('passes a Dense-only .h5 model (corpus dense.h5)', async () => {
    const result = await scan(fixture('dense.h5'), 'dense.h5');
    expect(result.findings).toEqual([]);
    expect(result.components[0].properties?.format).toBe('keras-h5');
  });

  it('blocks a Lambda layer in an .h5 model, noting that safe_mode does not apply (corpus lambda.h5)', async () => {
    const result = await scan(fixture('lambda.h5'), 'lambda.h5');
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['MODEL-KERAS-LAMBDA', 'critical'],
    ]);
    expect(result.findings[0].message).toContain('CVE-2025-9905');
  });

  it('falls back to the byte search when the structure cannot be walked (JSON far from the attribute name)', async () => {
    const config = JSON.stringify({
      class_name: 'Sequential',
      config: {
        layers: [
          {
            class_name: 'Lambda',
            config: {
              name: 'x',
              function: ['4wEAAAA=', null, null],
              function_type: 'lambda',
            },
          },
        ],
      },
    });
    const bytes = Buffer.concat([
      fixture('dense.h5').subarray(0, 8),
      Buffer.alloc(100),
      Buffer.from('model_config'),
      Buffer.alloc(20_000),
      Buffer.from('GCOL'),
      Buffer.from(config),
      Buffer.alloc(64),
    ]);
    const result = await scan(bytes, 'weird.h5');
    // Not walkable as HDF5 (a finding of its own); the byte search still names the Lambda.
    expect(result.findings.map(f => f.ruleId).sort()).toEqual([
      'MODEL-KERAS-LAMBDA',
      'MODEL-MALFORMED',
    ]);
  });

  it('still blocks a Lambda marker whose JSON is broken', async () => {
    const bytes = Buffer.concat([
      fixture('dense.h5').subarray(0, 8),
      Buffer.from('model_config'),
      Buffer.from('{"class_name": "Lambda", "config": {'),
      Buffer.alloc(32),
    ]);
    const result = await scan(bytes, 'broken.h5');
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual(
      expect.arrayContaining([['MODEL-KERAS-LAMBDA', 'critical']]),
    );
  });

  it('gives a weights-only HDF5 file (h5py-written) no finding and no model component', async () => {
    const bytes = readFileSync(
      join(__dirname, '..', 'hdf5', '__fixtures__', 'weights_only.h5'),
    );
    const result = await scan(bytes, 'model.weights.h5');
    expect(result.findings).toEqual([]);
    expect(result.components).toEqual([]);
  });

  it('reports a truncated HDF5 file as malformed instead of passing it', async () => {
    const bytes = Buffer.concat([
      fixture('dense.h5').subarray(0, 64),
      Buffer.alloc(4096),
    ]);
    const result = await scan(bytes, 'model.weights.h5');
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['MODEL-MALFORMED', 'high'],
    ]);
  });

  it('never throws on arbitrary or mutated input', async () => {
    await expect(
      assertReaderIsRobust(kerasH5Reader, 'x.h5', [fixture('lambda.h5')], 150),
    ).resolves.toBeUndefined();
  });
});
