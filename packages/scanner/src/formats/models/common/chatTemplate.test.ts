import fc from 'fast-check';
import { findTemplateInjection } from './chatTemplate';

/** Real-world chat templates, as shipped in tokenizer_config.json / GGUF metadata. */
const BENIGN_TEMPLATES: Record<string, string> = {
  chatml:
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
  mistral:
    "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}",
  llama3:
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
  llama31Tools: [
    '{{- bos_token }}',
    '{%- if custom_tools is defined %}{%- set tools = custom_tools %}{%- endif %}',
    '{%- if not tools_in_user_message is defined %}{%- set tools_in_user_message = true %}{%- endif %}',
    '{%- if not date_string is defined %}{%- set date_string = "26 Jul 2024" %}{%- endif %}',
    "{%- if messages[0]['role'] == 'system' %}{%- set system_message = messages[0]['content']|trim %}{%- set messages = messages[1:] %}{%- else %}{%- set system_message = \"\" %}{%- endif %}",
    '{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}',
    '{%- if builtin_tools is defined or tools is not none %}{{- "Environment: ipython\\n" }}{%- endif %}',
    '{%- if builtin_tools is defined %}{{- "Tools: " + builtin_tools | reject(\'equalto\', \'code_interpreter\') | join(", ") + "\\n\\n"}}{%- endif %}',
    '{{- "Cutting Knowledge Date: December 2023\\n" }}{{- "Today Date: " + date_string + "\\n\\n" }}',
    '{%- for message in messages %}',
    "{%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}",
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}",
    "{%- elif 'tool_calls' in message %}{%- set tool_call = message.tool_calls[0].function %}",
    '{{- \'{"name": "\' + tool_call.name + \'", \' }}{{- \'"parameters": \' }}{{- tool_call.arguments | tojson }}{{- "}" }}',
    '{%- endif %}{%- endfor %}',
  ].join(''),
  zephyrWithNamespace:
    "{%- set ns = namespace(last_idx=0, system='') -%}{%- for m in messages -%}{%- if m['role'] == 'system' -%}{%- set ns.system = m['content'] -%}{%- endif -%}{%- set ns.last_idx = loop.index0 -%}{%- endfor -%}{{ ns.system }}{% for message in messages[ns.last_idx - 1:] %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + eos_token }}{% endfor %}{{ messages[loop_idx + 1]['content'] if loop_idx is defined else '' }}",
  gemmaWithStrftime:
    "{{ bos_token }}{{ strftime_now('%d %b %Y') }}{% for message in messages %}{% set role = 'model' if message['role'] == 'assistant' else message['role'] %}{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}",
};

describe('chat template injection', () => {
  it.each(Object.entries(BENIGN_TEMPLATES))(
    'does not flag the %s template',
    (_name, template) => {
      expect(findTemplateInjection(template)).toEqual([]);
    },
  );

  it('catches dunders built with + from a "_" variable, as critical', () => {
    const hits = findTemplateInjection(
      '{% set u = "_" %}{{ cycler[u+u+"init"+u+u][u+u+"globals"+u+u]["os"]["popen"]("id").read() }}',
    );
    expect(hits[0]).toMatchObject({
      id: 'computed-subscript',
      severity: 'critical',
    });
    expect(hits.map(h => h.id)).toContain('sensitive-subscript');
  });

  it('catches dunders split across ~-joined literals', () => {
    const hits = findTemplateInjection(
      '{{ joiner["__in"~"it__"]["__glo"~"bals__"]["o"~"s"]["po"~"pen"]("id").read() }}',
    );
    expect(hits[0]).toMatchObject({
      id: 'computed-subscript',
      severity: 'critical',
    });
    expect(hits[0].why).toContain('__init__');
  });

  it('catches a computed name passed to attr()', () => {
    const hits = findTemplateInjection("{{ lipsum|attr('__glo' ~ 'bals__') }}");
    expect(hits.map(h => [h.id, h.severity])).toContainEqual([
      'computed-subscript',
      'critical',
    ]);
  });

  it('flags sensitive names looked up on template objects, even without underscores', () => {
    const hits = findTemplateInjection("{{ namespace['globals'] }}");
    expect(hits.map(h => [h.id, h.severity])).toEqual([
      ['sensitive-subscript', 'high'],
    ]);
  });

  it('flags concatenated subscripts that spell underscores or sensitive names', () => {
    expect(
      findTemplateInjection("{{ x['po' ~ 'pen'] }}").map(h => h.severity),
    ).toEqual(['high']);
    expect(
      findTemplateInjection("{{ x['a_' + y] }}").map(h => h.severity),
    ).toEqual(['high']);
  });

  it('does not take an attribute named like a template object for the object', () => {
    expect(findTemplateInjection("{{ tool.config['system'] }}")).toEqual([]);
  });

  it('leaves numeric and variable-only subscripts alone', () => {
    expect(
      findTemplateInjection(
        "{{ messages[loop.index0 + 1]['content'] ~ ns.last_idx }}",
      ),
    ).toEqual([]);
    expect(
      findTemplateInjection(
        "{% for x in ['tool_' ~ 'b'] %}{{ x }}{% endfor %}",
      ),
    ).toEqual([]);
  });

  it('says so instead of going quadratic on a bracket-heavy template', () => {
    const started = Date.now();
    const hits = findTemplateInjection(`{{ x${'['.repeat(2_000_000)} }}`);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(hits.map(h => [h.id, h.severity])).toEqual([
      ['unanalysed-subscripts', 'high'],
    ]);
  });

  it('stays fast on long, bracket-heavy templates', () => {
    const template = `{{ x${'["a"+'.repeat(20_000)} }}`;
    const started = Date.now();
    findTemplateInjection(template);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('never throws and stays bounded on arbitrary template-like text', () => {
    const piece = fc.constantFrom(
      '[',
      ']',
      '(',
      ')',
      '"',
      "'",
      '\\',
      '+',
      '~',
      '_',
      'u',
      'cycler',
      '.',
      'attr(',
      '{% set u = "_" %}',
      ' ',
      '__init__',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(piece, fc.string()), { maxLength: 300 }),
        parts => {
          const hits = findTemplateInjection(parts.join(''));
          expect(Array.isArray(hits)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
