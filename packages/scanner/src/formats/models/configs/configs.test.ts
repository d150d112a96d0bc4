import { Scanner } from '../../../engine/Scanner';
import { DEFAULT_READERS } from '../../../engine/defaults';
import { buildTar } from '../../archive/testing/tarWriter';
import { gradeCallable } from './callableKnowledge';
import { findConfigTargets } from './configTargets';
import { looksLikeConfigText } from './configReader';

const scan = (bytes: Uint8Array | string, name: string) =>
  new Scanner({ readers: DEFAULT_READERS }).scanBytes(
    typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
    name,
  );
const callables = (result: Awaited<ReturnType<typeof scan>>) =>
  result.findings
    .filter(f => f.ruleId === 'MODEL-CONFIG-CALLABLE')
    .map(f => `${f.severity} ${String(f.evidence.symbol)}`);

const NEMO_BENIGN = `name: QuartzNet15x5
target: nemo.collections.asr.models.ctc_models.EncDecCTCModel
nemo_version: 1.23.0
model:
  sample_rate: 16000
  preprocessor:
    _target_: nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor
    window_size: 0.02
  optim:
    name: novograd
    sched: { _target_: torch.optim.lr_scheduler.CosineAnnealingLR, T_max: 100 }
  tokenizer:
    _target_: transformers.AutoTokenizer.from_pretrained
    pretrained_model_name_or_path: bert-base-uncased
  loss: { _target_: torch.nn.CTCLoss, blank: 0 }
  train_ds:
    manifest_filepath: \${oc.env:DATA}/train.json
`;

describe('callable grading (pickle knowledge base + config model libraries)', () => {
  it.each([
    ['builtins.exec', 'critical'],
    ['os.system', 'critical'],
    ['posix.system', 'critical'],
    ['subprocess.Popen', 'critical'],
    ['subprocess.run', 'critical'],
    ['hydra.utils.get_method', 'critical'],
    ['nemo.utils.model_utils.import_class_by_path', 'critical'],
    ['mypkg.evil.Payload', 'high'],
    ['nemo.collections.asr.models.EncDecCTCModel.restore_from', 'high'],
  ])('%s is %s', (symbol, severity) => {
    expect(gradeCallable(symbol).severity).toBe(severity);
  });

  it.each([
    'nemo.collections.asr.modules.ConvASREncoder',
    'torch.nn.Linear',
    'torch.optim.AdamW',
    'transformers.AutoModelForCausalLM.from_pretrained',
    'pytorch_lightning.callbacks.ModelCheckpoint',
  ])('%s passes', symbol => {
    expect(gradeCallable(symbol).verdict).toBe('trusted');
  });

  it('honours the policy trustedGlobals for in-house classes', () => {
    expect(gradeCallable('acme.models.Net', ['acme.models.*']).verdict).toBe(
      'trusted',
    );
  });
});

describe('findConfigTargets', () => {
  it('finds _target_ at any depth, inside _args_ lists too, with _partial_', () => {
    const { targets } = findConfigTargets({
      a: {
        b: [
          {
            _target_: 'functools.partial',
            _args_: [{ _target_: 'os.system', _args_: ['id'] }],
          },
        ],
      },
      c: { _target_: 'builtins.eval', _partial_: true },
    });
    expect(targets.map(t => [t.symbol, t.partial])).toEqual([
      ['functools.partial', false],
      ['os.system', false],
      ['builtins.eval', true],
    ]);
  });

  it('grades NeMo top-level target only when it is known-dangerous', () => {
    expect(findConfigTargets({ target: 'acme.Model' }).targets).toEqual([]);
    expect(findConfigTargets({ target: 'os.system' }).targets).toHaveLength(1);
    expect(findConfigTargets({ target: 'example.com' }).targets).toEqual([]);
  });
});

describe('config reader', () => {
  it('passes a real-shaped NeMo model_config.yaml', async () => {
    const result = await scan(NEMO_BENIGN, 'model_config.yaml');
    expect(result.findings).toEqual([]);
    expect(result.files[0].formats).toContain('yaml-config');
  });

  it('blocks _target_: builtins.exec in model_config.yaml inside a .nemo tar (CVE-2025-23304)', async () => {
    const evil = NEMO_BENIGN.replace(
      'torch.nn.CTCLoss, blank: 0',
      'builtins.exec, _args_: ["import os; os.system(\'id\')"]',
    );
    const nemo = buildTar([
      { name: './model_weights.ckpt', data: new Uint8Array(64) },
      { name: './model_config.yaml', data: evil },
    ]);
    const result = await scan(nemo, 'asr.nemo');
    const finding = result.findings.find(
      f => f.ruleId === 'MODEL-CONFIG-CALLABLE',
    );
    expect(finding).toMatchObject({
      severity: 'critical',
      evidence: { symbol: 'builtins.exec', mechanism: 'hydra-instantiate' },
      location: { path: 'asr.nemo', entry: ['./model_config.yaml'] },
    });
  });

  it('recognises a config by content when it has no extension', async () => {
    const result = await scan(
      'model:\n  head:\n    _target_: subprocess.check_output\n    args: [id]\n',
      'settings',
    );
    expect(callables(result)).toEqual(['critical subprocess.check_output']);
  });

  it('grades unknown code high and JSON configs the same way', async () => {
    const result = await scan(
      JSON.stringify({ net: { _target_: 'acme_private.layers.Net' } }),
      'hparams',
    );
    expect(callables(result)).toEqual(['high acme_private.layers.Net']);
  });

  it('does not lose a _target_ the YAML parser rejects', async () => {
    const result = await scan(
      'a: 1\na: [\n  _target_: os.system\n',
      'conf.yaml',
    );
    expect(callables(result)).toContain('critical os.system');
  });

  it('flags PyYAML python tags', async () => {
    const result = await scan(
      'cfg: !!python/object/apply:os.system ["id"]\n',
      'conf.yaml',
    );
    expect(callables(result)).toEqual(['critical os.system']);
  });

  it('checks Hugging Face config.json for _target_', async () => {
    const result = await scan(
      JSON.stringify({
        architectures: ['LlamaForCausalLM'],
        model_type: 'llama',
        head: { _target_: 'os.popen' },
      }),
      'config.json',
    );
    expect(callables(result)).toEqual(['critical os.popen']);
  });

  it('survives an alias bomb without expanding it', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(9)
          .fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`)
          .join(',')}]`,
      );
    bomb.push('_target_: os.system');
    const started = Date.now();
    const result = await scan(bomb.join('\n'), 'bomb.yaml');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(callables(result)).toContain('critical os.system');
  });
});

describe('chat templates anywhere', () => {
  const evil =
    '{% for m in messages %}{{ m.__class__.__mro__[1].__subclasses__() }}{% endfor %}';
  const benign =
    "{% for message in messages %}{{ '<|' + message['role'] + '|>' + message['content'] }}{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}";

  it.each([
    ['templates.yaml', `chat:\n  default:\n    chat_template: "${evil}"\n`],
    ['generation.json', JSON.stringify({ nested: { prompt_format: evil } })],
    ['prompt.template', evil],
    ['untitled', evil],
  ])('blocks an injected template in %s', async (name, content) => {
    const result = await scan(content, name);
    expect(result.findings.map(f => f.ruleId)).toContain(
      'MODEL-CHAT-TEMPLATE-INJECTION',
    );
  });

  it.each([
    ['templates.yaml', `chat_template: "${benign}"\n`],
    ['prompt.template', benign],
    ['untitled', benign],
  ])('passes a benign template in %s', async (name, content) => {
    const result = await scan(content, name);
    expect(result.findings).toEqual([]);
  });
});

describe('configs larger than maxTextBytes', () => {
  const big = (tail: string) => {
    const vocab: Record<string, number> = {};
    for (let i = 0; i < 40_000; i++) vocab[`tok${i}`] = i;
    return `{"model": {"vocab": ${JSON.stringify(vocab)}}${tail}}`;
  };
  const scanSmall = (text: string, name: string) =>
    new Scanner({
      readers: DEFAULT_READERS,
      limits: { maxTextBytes: 64 * 1024 },
    }).scanBytes(Buffer.from(text), name);

  it('passes a large tokenizer.json without config markers', async () => {
    expect((await scanSmall(big(''), 'tokenizer.json')).findings).toEqual([]);
  });

  it('grades a _target_ found in the text of a large config and reports the unparsed rest', async () => {
    const result = await scanSmall(
      big(', "x": {"_target_": "os.system"}'),
      'huge.json',
    );
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['MODEL-CONFIG-CALLABLE', 'critical'],
      ['SCAN-LIMIT', 'high'],
    ]);
  });
});

describe('looksLikeConfigText', () => {
  it('leaves prose and source to their own analyzers', async () => {
    const readme =
      'Note: this model ships a chat template.\n\n{% for message in messages %}{{ message.content }}{% endfor %}\nIt never calls subprocess.\n';
    expect((await scan(readme, 'USAGE.md')).findings).toEqual([]);
    expect(looksLikeConfigText(Buffer.from('a: 1\n'), 'notes.txt')).toBe(false);
  });

  it('leaves text under a weight extension to the engine (SCAN-UNSUPPORTED, not a silent pass)', async () => {
    const result = await scan(
      'model:\n  _target_: torch.nn.Linear\n',
      'model.bin',
    );
    expect(result.findings.map(f => f.ruleId)).toEqual(['SCAN-UNSUPPORTED']);
  });

  it('does not claim Python source or binary data', () => {
    expect(
      looksLikeConfigText(
        Buffer.from('import os\ndef f():\n  return "{% if x %}"\n'),
        'a.py',
      ),
    ).toBe(false);
    expect(looksLikeConfigText(new Uint8Array([0x80, 0x02, 0, 1]), 'x')).toBe(
      false,
    );
  });
});

describe('from_pretrained in configs', () => {
  it('is high only with trust_remote_code: true', () => {
    expect(
      gradeCallable('transformers.AutoModel.from_pretrained', [], {
        trustRemoteCode: true,
      }).severity,
    ).toBe('high');
    const { targets } = findConfigTargets({
      m: {
        _target_: 'transformers.AutoModel.from_pretrained',
        trust_remote_code: true,
      },
    });
    expect(targets[0].grade.severity).toBe('high');
  });
});
