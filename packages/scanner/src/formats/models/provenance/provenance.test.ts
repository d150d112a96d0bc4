import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scanner } from '../../../engine/Scanner';
import { MODEL_FORMAT_READERS, MODEL_FOLDER_ANALYZERS } from '../index';
import { hfConfigReader } from './hfConfigReader';
import { assertReaderIsRobust } from '../common/__testUtils__/fuzzReader';

async function folder(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-models-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

const scanner = (readerOptions = {}) =>
  new Scanner({
    readers: MODEL_FORMAT_READERS,
    analyzers: MODEL_FOLDER_ANALYZERS,
    readerOptions,
  });

/** A minimal valid safetensors file. */
function weights(): Buffer {
  const header = Buffer.from(
    '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
  );
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([prefix, header, Buffer.alloc(4)]);
}

const CONFIG = JSON.stringify({
  architectures: ['MyModel'],
  model_type: 'my_model',
  auto_map: {
    AutoConfig: 'configuration_my.MyConfig',
    AutoModel: 'modeling_my.MyModel',
    AutoModelForCausalLM: 'someone/other-repo--modeling_other.Model',
  },
  transformers_version: '4.44.0',
});

describe('Hugging Face config and model folder checks', () => {
  it('reports auto_map code, says where it comes from, and grades shipped modules high', async () => {
    const dir = await folder({
      'model.safetensors': weights(),
      'config.json': CONFIG,
      'modeling_my.py': 'import torch\n',
      'configuration_my.py': 'class MyConfig: pass\n',
      'convert.py': 'print("helper")\n',
    });
    const result = await scanner().scanPath(dir);
    const remote = result.findings.filter(
      f => f.ruleId === 'MODEL-REMOTE-CODE',
    );
    expect(
      remote.map(f => [f.evidence.symbol, f.evidence.codeSource, f.severity]),
    ).toEqual([
      ['configuration_my.MyConfig', 'this-repository', 'high'],
      ['modeling_my.MyModel', 'this-repository', 'high'],
      ['someone/other-repo--modeling_other.Model', 'other-repository', 'high'],
    ]);
    const beside = result.findings.filter(
      f => f.ruleId === 'MODEL-CODE-BESIDE-WEIGHTS',
    );
    expect(beside.map(f => [f.location.path, f.severity]).sort()).toEqual([
      ['configuration_my.py', 'high'],
      ['convert.py', 'medium'],
      ['modeling_my.py', 'high'],
    ]);
    expect(
      result.components.find(c => c.properties?.format === 'hf-config')
        ?.modelCard,
    ).toEqual({ architecture: 'MyModel' });
  });

  it('does not flag the source of a Python project that keeps a model at its root', async () => {
    const dir = await folder({
      'model.safetensors': weights(),
      'pyproject.toml': '[project]\nname="app"\n',
      'app.py': 'print(1)\n',
    });
    const result = await scanner().scanPath(dir);
    expect(result.findings).toEqual([]);
  });

  it('flags hostile chat templates in tokenizer_config.json, chat_template.json and .jinja files', async () => {
    const hostile = "{{ cycler.__init__.__globals__.os.popen('id') }}";
    const dir = await folder({
      'tokenizer_config.json': JSON.stringify({
        chat_template: [{ name: 'default', template: hostile }],
      }),
      'chat_template.json': JSON.stringify({ chat_template: hostile }),
      'chat_template.jinja': hostile,
      'benign.jinja': "{% for m in messages %}{{ m['content'] }}{% endfor %}",
    });
    const result = await scanner().scanPath(dir);
    expect(
      result.findings.map(f => [f.location.path, f.ruleId, f.severity]).sort(),
    ).toEqual([
      ['chat_template.jinja', 'MODEL-CHAT-TEMPLATE-INJECTION', 'critical'],
      ['chat_template.json', 'MODEL-CHAT-TEMPLATE-INJECTION', 'critical'],
      ['tokenizer_config.json', 'MODEL-CHAT-TEMPLATE-INJECTION', 'critical'],
    ]);
  });

  it('checks pinned SHA-256 digests: match passes, mismatch is critical, missing is high', async () => {
    const bytes = weights();
    const digest = createHash('sha256').update(bytes).digest('hex');
    const dir = await folder({
      'models/a.safetensors': bytes,
      'models/b.safetensors': bytes,
    });
    const result = await scanner({
      pinnedHashes: {
        'models/a.safetensors': `sha256:${digest.toUpperCase()}`,
        './models/b.safetensors': '0'.repeat(64),
        'models/c.safetensors': digest,
      },
    }).scanPath(dir);
    expect(
      result.findings.map(f => [f.ruleId, f.location.path, f.severity]),
    ).toEqual([
      ['MODEL-HASH-MISMATCH', 'models/b.safetensors', 'critical'],
      ['MODEL-HASH-MISMATCH', 'models/c.safetensors', 'high'],
    ]);
    expect(result.findings[0].evidence.actual).toBe(digest);
  });

  it('flags symlinks beside the weights that leave the tree, not those that stay inside', async () => {
    const dir = await folder({
      'model.onnx': Buffer.from([0x08, 0x08]),
      'weights/inside.bin': 'x',
    });
    await symlink('/etc/passwd', join(dir, 'model.onnx_data'));
    await symlink(join(dir, 'weights', 'inside.bin'), join(dir, 'alias.bin'));
    await symlink(join(dir, 'nowhere'), join(dir, 'dangling.bin'));
    const result = await scanner().scanPath(dir);
    const links = result.findings.filter(f => f.ruleId === 'SCAN-PATH-ESCAPE');
    expect(
      links.map(f => [f.location.path, f.severity, f.evidence.reason]).sort(),
    ).toEqual([
      ['dangling.bin', 'high', 'dangling'],
      ['model.onnx_data', 'high', 'symlink'],
    ]);
    // Where the link leads is not published: it can name host paths.
    expect(JSON.stringify(links)).not.toContain('/etc/passwd');
  });

  it.each([
    ['80 blank bytes', `${' '.repeat(40)}\n${' '.repeat(40)}`],
    ['a BOM and a head of blanks', `\uFEFF${'\r\n'.repeat(4000)}`],
  ])('reads a config.json whose JSON starts after %s', async (_what, lead) => {
    const dir = await folder({ 'config.json': `${lead}${CONFIG}` });
    const result = await scanner().scanPath(dir);
    expect(
      result.findings
        .filter(f => f.ruleId === 'MODEL-REMOTE-CODE')
        .map(f => f.evidence.symbol),
    ).toContain('someone/other-repo--modeling_other.Model');
  });

  it('leaves a config-named file that is not a JSON object alone', () => {
    const text = Buffer.from('  model_type = "bert"\n');
    expect(hfConfigReader.sniff(text, 'config.json', text.length)).toBe(false);
  });

  it('never throws on arbitrary or mutated input', async () => {
    await expect(
      assertReaderIsRobust(hfConfigReader, 'config.json', [
        Buffer.from(CONFIG),
      ]),
    ).resolves.toBeUndefined();
  });
});
