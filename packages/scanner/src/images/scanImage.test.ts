import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '../createScanner';
import { DEFAULT_POLICY } from '../policy/defaults';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import { DEFAULT_IMAGE_LIMITS } from './limits';
import { openImageStore, parseImageTarget, scanImage } from './scanImage';
import {
  MALICIOUS_PICKLE,
  distInfo,
  dockerSaveArchive,
  ociArchive,
  writeLayout,
  type TestImage,
} from './testing/imageBuilder';

const NON_ROOT = { User: '10001', Cmd: ['python', '-m', 'serve'] };
const BENIGN: TestImage = {
  config: NON_ROOT,
  layers: [
    [
      distInfo('numpy', '2.1.2', 'BSD-3-Clause'),
      {
        name: 'app/serve.py',
        data: 'import numpy\nprint(numpy.__version__)\n',
      },
    ],
  ],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlgov-image-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scanLayout(
  images: TestImage[],
  options: { nestedIndex?: boolean; platforms?: string[] } = {},
) {
  const layout = await writeLayout(join(dir, 'layout'), images, options);
  const target = parseImageTarget(`oci-layout:${layout}`)!;
  const store = await openImageStore(target, DEFAULT_IMAGE_LIMITS);
  const result = await scanImage(
    `oci-layout:${layout}`,
    store,
    createScanner(),
    { platforms: options.platforms },
  );
  return {
    result,
    decision: evaluatePolicy(result, DEFAULT_POLICY, { now: new Date() })
      .decision,
    rules: [...new Set(result.findings.map(f => f.ruleId))].sort(),
  };
}

describe('scanImage', () => {
  it('passes a benign image and pins its manifest digest', async () => {
    const { result, decision, rules } = await scanLayout([BENIGN]);
    expect(rules).toEqual([]);
    expect(decision).toBe('PASS');
    expect(result.remote?.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(result.remote?.pinnedUri).toContain(result.remote!.digest);
    expect(result.components.map(c => c.name)).toContain('numpy');
    expect(result.files.map(f => f.path)).toContain('app/serve.py');
  });

  it('checks installed distributions in site-packages: typosquat and AGPL', async () => {
    const { result, decision } = await scanLayout([
      {
        config: NON_ROOT,
        layers: [
          [distInfo('numpy', '2.1.2', 'BSD-3-Clause')],
          [
            distInfo('reqeusts', '2.31.0', 'Apache-2.0'),
            distInfo('ghostscript-wrap', '1.0', 'AGPL-3.0-or-later'),
          ],
        ],
      },
    ]);
    const squat = result.findings.find(f => f.ruleId === 'DEP-TYPOSQUAT');
    expect(squat?.evidence.package).toBe('reqeusts');
    const licence = result.findings.find(
      f =>
        f.ruleId.startsWith('LICENCE-') &&
        f.evidence.package === 'ghostscript-wrap',
    );
    expect(licence).toBeDefined();
    expect(decision).not.toBe('PASS');
  });

  it('blocks a malicious pickle deleted by one layer and restored by a later one', async () => {
    const { result, decision } = await scanLayout([
      {
        config: NON_ROOT,
        layers: [
          [{ name: 'models/model.pkl', data: MALICIOUS_PICKLE }],
          [{ name: 'models/.wh.model.pkl' }],
          [{ name: 'models/model.pkl', data: MALICIOUS_PICKLE }],
        ],
      },
    ]);
    expect(
      result.findings.find(
        f =>
          f.location.path === 'models/model.pkl' &&
          f.ruleId.startsWith('PICKLE-'),
      )?.evidence.symbol,
    ).toBe('os.system');
    expect(decision).toBe('BLOCK');
  });

  it('passes an image whose whiteout (or opaque directory) removed the malicious file', async () => {
    const whiteout = await scanLayout([
      {
        config: NON_ROOT,
        layers: [
          [
            { name: 'models/model.pkl', data: MALICIOUS_PICKLE },
            { name: 'app/ok.txt', data: 'ok' },
          ],
          [{ name: 'models/.wh.model.pkl' }],
        ],
      },
    ]);
    expect(whiteout.rules).toEqual([]);
    expect(whiteout.decision).toBe('PASS');
    expect(whiteout.result.files.map(f => f.path)).toEqual(['app/ok.txt']);
    const opaque = await scanLayout([
      {
        config: NON_ROOT,
        layers: [
          [{ name: 'models/evil/model.pkl', data: MALICIOUS_PICKLE }],
          [
            { name: 'models/.wh..wh..opq' },
            { name: 'models/readme.txt', data: 'x' },
          ],
        ],
      },
    ]);
    expect(opaque.decision).toBe('PASS');
    expect(opaque.result.files.map(f => f.path)).toEqual(['models/readme.txt']);
  });

  it('flags an entrypoint that pip-installs at start, root, a latest base and secrets (redacted)', async () => {
    const secret = 'hf_' + 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    const { result } = await scanLayout([
      {
        config: {
          Entrypoint: ['/bin/sh', '-c'],
          Cmd: ['pip install -r requirements.txt && python serve.py'],
          Env: [
            'PATH=/usr/bin',
            `HF_TOKEN=${secret}`,
            'DB_PASSWORD=changeme',
            'API_TOKEN=q8Zr2LpX0vNc7TbWk4Ys',
          ],
          Labels: {
            'org.opencontainers.image.base.name':
              'docker.io/library/python:latest',
          },
        },
        layers: [[{ name: 'serve.py', data: 'print(1)\n' }]],
      },
    ]);
    const rules = result.findings.map(
      f => `${f.ruleId}:${f.evidence.variable ?? ''}`,
    );
    expect(rules).toEqual(
      expect.arrayContaining([
        'IMAGE-RUNTIME-INSTALL:',
        'IMAGE-ROOT-USER:',
        'IMAGE-LATEST-BASE:',
        'IMAGE-SECRET:HF_TOKEN',
        'IMAGE-SECRET:API_TOKEN',
      ]),
    );
    expect(rules).not.toContain('IMAGE-SECRET:DB_PASSWORD');
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(JSON.stringify(result)).not.toContain('q8Zr2LpX0vNc7TbWk4Ys');
  });

  it('scans each platform of a (nested) index, or only the ones asked for', async () => {
    const arm: TestImage = {
      ...BENIGN,
      platform: { os: 'linux', architecture: 'arm64' },
      layers: [[{ name: 'models/model.pkl', data: MALICIOUS_PICKLE }]],
    };
    const all = await scanLayout([BENIGN, arm], { nestedIndex: true });
    expect(all.result.remote?.digest.split(',')).toHaveLength(2);
    expect(
      all.result.findings.some(
        f => f.location.path === 'linux/arm64/models/model.pkl',
      ),
    ).toBe(true);
    expect(all.decision).toBe('BLOCK');
    const amd = await scanLayout([BENIGN, arm], { platforms: ['linux/amd64'] });
    expect(amd.decision).toBe('PASS');
  });

  it('reads OCI archives and docker save tarballs', async () => {
    const evil: TestImage = {
      config: NON_ROOT,
      layers: [[{ name: 'm/model.pkl', data: MALICIOUS_PICKLE }]],
    };
    for (const [name, bytes] of [
      ['oci.tar', ociArchive([evil])],
      ['docker.tar', dockerSaveArchive(evil)],
    ] as const) {
      const file = join(dir, name);
      await writeFile(file, bytes);
      const target = parseImageTarget(`oci-archive:${file}`)!;
      const result = await scanImage(
        name,
        await openImageStore(target, DEFAULT_IMAGE_LIMITS),
        createScanner(),
      );
      expect(
        evaluatePolicy(result, DEFAULT_POLICY, { now: new Date() }).decision,
      ).toBe('BLOCK');
      expect(result.remote?.digest).toMatch(/^sha256:/);
    }
  });

  it('turns a tampered blob, a gzip bomb past the limit and path escapes into findings, never a PASS', async () => {
    const layout = await writeLayout(join(dir, 'bad'), [BENIGN]);
    const index = JSON.parse(
      require('node:fs').readFileSync(join(layout, 'index.json'), 'utf8'),
    );
    const manifestPath = join(
      layout,
      'blobs/sha256',
      index.manifests[0].digest.slice(7),
    );
    await writeFile(manifestPath, '{"tampered":true}');
    const tampered = await scanImage(
      'x',
      await openImageStore(
        { kind: 'oci-layout', path: layout },
        DEFAULT_IMAGE_LIMITS,
      ),
      createScanner(),
    );
    expect(tampered.findings.map(f => f.ruleId)).toEqual(['IMAGE-UNREADABLE']);
    expect(
      evaluatePolicy(tampered, DEFAULT_POLICY, { now: new Date() }).decision,
    ).not.toBe('PASS');

    const big = await writeLayout(join(dir, 'big'), [
      {
        config: NON_ROOT,
        layers: [[{ name: 'zeros.bin', data: new Uint8Array(200_000) }]],
      },
    ]);
    const bomb = await scanImage(
      'x',
      await openImageStore(
        { kind: 'oci-layout', path: big },
        DEFAULT_IMAGE_LIMITS,
      ),
      createScanner(),
      { limits: { maxLayerBytes: 50_000 } },
    );
    expect(
      bomb.findings.find(f => f.ruleId === 'IMAGE-UNREADABLE')?.message,
    ).toContain('maxLayerBytes');
    expect(
      evaluatePolicy(bomb, DEFAULT_POLICY, { now: new Date() }).decision,
    ).not.toBe('PASS');

    const escape = await scanLayout([
      {
        config: NON_ROOT,
        layers: [[{ name: '../../etc/evil.pkl', data: MALICIOUS_PICKLE }]],
      },
    ]);
    expect(escape.rules).toEqual(['IMAGE-UNREADABLE']);
  });
});
