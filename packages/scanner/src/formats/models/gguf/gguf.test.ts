import { Scanner } from '../../../engine/Scanner';
import type { FormatReader } from '../../../engine/FormatReader';
import { ggufReader } from './reader';
import { findTemplateInjection } from '../common/chatTemplate';
import { assertReaderIsRobust } from '../common/__testUtils__/fuzzReader';

type Value =
  | { type: 'string'; v: string }
  | { type: 'u32'; v: number }
  | { type: 'strings'; v: string[] };

/** Writes a GGUF v3 header with the given metadata and tensor descriptions. */
function gguf(
  metadata: Record<string, Value>,
  tensors: {
    name: string;
    dims: number[];
    type?: number;
    offset?: bigint;
  }[] = [],
): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    parts.push(b);
  };
  const u64 = (n: bigint | number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    parts.push(b);
  };
  const str = (s: string) => {
    u64(Buffer.byteLength(s));
    parts.push(Buffer.from(s));
  };
  parts.push(Buffer.from('GGUF'));
  u32(3);
  u64(tensors.length);
  u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    str(key);
    if (value.type === 'string') {
      u32(8);
      str(value.v);
    } else if (value.type === 'u32') {
      u32(4);
      u32(value.v);
    } else {
      u32(9);
      u32(8);
      u64(value.v.length);
      value.v.forEach(str);
    }
  }
  for (const t of tensors) {
    str(t.name);
    u32(t.dims.length);
    t.dims.forEach(d => u64(d));
    u32(t.type ?? 0);
    u64(t.offset ?? 0n);
  }
  parts.push(Buffer.alloc(64));
  return Buffer.concat(parts);
}

const scan = (
  bytes: Uint8Array,
  name = 'model.gguf',
  readers: FormatReader[] = [ggufReader],
) => new Scanner({ readers }).scanBytes(bytes, name);

const LLAMA3_TEMPLATE =
  "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";
const TOOL_TEMPLATE =
  "{%- set ns = namespace(found=false) -%}{%- for m in messages -%}{%- if m.role == 'system' -%}{%- set ns.found = true -%}{%- endif -%}{{ m.content | tojson }}{%- endfor -%}{{ raise_exception('x') if not ns.found }}";

describe('GGUF reader', () => {
  it('records name, licence and base model of a benign model without findings', async () => {
    const bytes = gguf(
      {
        'general.architecture': { type: 'string', v: 'llama' },
        'general.name': { type: 'string', v: 'Tiny Llama' },
        'general.license': { type: 'string', v: 'apache-2.0' },
        'general.base_model.count': { type: 'u32', v: 1 },
        'general.base_model.0.organization': {
          type: 'string',
          v: 'Meta Llama',
        },
        'general.base_model.0.name': { type: 'string', v: 'Llama 3.2 1B' },
        'tokenizer.ggml.tokens': { type: 'strings', v: ['<s>', 'a', 'b'] },
        'tokenizer.chat_template': { type: 'string', v: LLAMA3_TEMPLATE },
        'tokenizer.chat_template.tool_use': {
          type: 'string',
          v: TOOL_TEMPLATE,
        },
      },
      [{ name: 'tok_embd.weight', dims: [4, 4], offset: 0n }],
    );
    const result = await scan(bytes);
    expect(result.findings).toEqual([]);
    expect(result.components[0]).toMatchObject({
      license: 'apache-2.0',
      properties: { format: 'gguf', 'general.name': 'Tiny Llama' },
      modelCard: {
        architecture: 'llama',
        baseModel: ['Meta Llama/Llama 3.2 1B'],
      },
    });
  });

  it.each([
    [
      "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}",
      'critical',
    ],
    [
      '{% for c in ().__class__.__base__.__subclasses__() %}{% endfor %}',
      'critical',
    ],
    ["{{ cycler.__init__.__globals__.os.popen('id').read() }}", 'critical'],
    ["{{ lipsum.__globals__['os'].popen('id') }}", 'critical'],
    ['{{ joiner.__init__.__globals__ }}', 'critical'],
    ['{{ namespace.__init__.__globals__ }}', 'critical'],
    ["{{ ()|attr('\\x5f\\x5fclass\\x5f\\x5f') }}", 'high'],
    ["{{ x|attr(['_'*2, 'class', '_'*2]|join) }}", 'high'],
  ])('flags the chat template %s', async (template, severity) => {
    const result = await scan(
      gguf({ 'tokenizer.chat_template': { type: 'string', v: template } }),
    );
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings[0]).toMatchObject({
      ruleId: 'MODEL-CHAT-TEMPLATE-INJECTION',
      severity,
    });
    expect(result.findings[0].evidence.snippet).toBeTruthy();
  });

  it('checks named template variants too', async () => {
    const result = await scan(
      gguf({
        'tokenizer.chat_template.rag': {
          type: 'string',
          v: '{{ x.__class__ }}',
        },
      }),
    );
    expect(result.findings[0].evidence.metadataKey).toBe(
      'tokenizer.chat_template.rag',
    );
  });

  it('checks Jinja stored under any other metadata key', async () => {
    const result = await scan(
      gguf({
        'general.name': { type: 'string', v: 'llama {{ not-a-template' },
        'acme.serving.prompt': {
          type: 'string',
          v: '{% for m in messages %}{{ m.__class__.__mro__ }}{% endfor %}',
        },
      }),
    );
    expect(
      result.findings.map(f => [f.ruleId, f.evidence.metadataKey]),
    ).toEqual([['MODEL-CHAT-TEMPLATE-INJECTION', 'acme.serving.prompt']]);
  });

  it.each([
    ['a wrong version', (b: Buffer) => b.writeUInt32LE(7, 4), 'version 7'],
    [
      'an absurd metadata count',
      (b: Buffer) => b.writeBigUInt64LE(2n ** 60n, 16),
      'metadata count',
    ],
    [
      'a string length past the end',
      (b: Buffer) => b.writeBigUInt64LE(2n ** 40n, 24),
      'past the end',
    ],
  ])('reports %s as malformed', async (_label, corrupt, expected) => {
    const bytes = gguf({ 'general.name': { type: 'string', v: 'x' } });
    corrupt(bytes);
    const result = await scan(bytes);
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['MODEL-MALFORMED', 'high'],
    ]);
    expect(result.findings[0].message).toContain(expected);
  });

  it('reports tensors with too many dimensions', async () => {
    const result = await scan(
      gguf({}, [{ name: 't', dims: [1, 1, 1, 1, 1, 1, 1, 1, 1] }]),
    );
    expect(result.findings[0].message).toContain('9 dimensions');
  });

  it('reports a pickle named .gguf as disguised', async () => {
    const result = await scan(
      Buffer.from([0x80, 0x02, 0x63, 0x6f, 0x73, 0x0a]),
      'model.gguf',
    );
    expect(result.findings.map(f => f.ruleId)).toEqual(['MODEL-DISGUISED']);
  });

  it('reports a chat template too long to check instead of skipping it silently', async () => {
    const padded = `${' '.repeat(5000)}{{ x.__class__ }}`;
    const result = await new Scanner({
      readers: [ggufReader],
      limits: { maxTextBytes: 1000 },
    }).scanBytes(
      gguf({ 'tokenizer.chat_template': { type: 'string', v: padded } }),
      'model.gguf',
    );
    expect(
      result.findings.map(f => [f.ruleId, f.evidence.metadataKey]),
    ).toEqual([['SCAN-LIMIT', 'tokenizer.chat_template']]);
  });

  it('does not flag ordinary Jinja in templates', () => {
    expect(findTemplateInjection(LLAMA3_TEMPLATE)).toEqual([]);
    expect(findTemplateInjection(TOOL_TEMPLATE)).toEqual([]);
  });

  it('never throws on arbitrary or mutated input', async () => {
    const sample = gguf(
      {
        'general.name': { type: 'string', v: 'x' },
        'tokenizer.ggml.tokens': { type: 'strings', v: ['a', 'b'] },
      },
      [{ name: 't', dims: [2, 2] }],
    );
    await expect(
      assertReaderIsRobust(ggufReader, 'x.gguf', [sample]),
    ).resolves.toBeUndefined();
  });
});
