import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createScanner } from '../createScanner';
import { buildTar, paxRecord } from '../formats/archive/testing/tarWriter';
import { DEFAULT_POLICY } from '../policy/defaults';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import type { ByteStream } from './byteStreams';
import { parseLayerTar, type Spool } from './layerEntries';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './limits';
import { openImageStore, scanImage } from './scanImage';
import {
  MALICIOUS_PICKLE,
  writeLayout,
  type TestImage,
} from './testing/imageBuilder';

const NON_ROOT = { User: '10001' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlgov-stream-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function* pieces(bytes: Uint8Array, size: number): ByteStream {
  for (let at = 0; at < bytes.length; at += size)
    yield bytes.subarray(at, at + size);
}

async function scan(layout: string, limits: Partial<ImageLimits> = {}) {
  const result = await scanImage(
    'x',
    await openImageStore(
      { kind: 'oci-layout', path: layout },
      { ...DEFAULT_IMAGE_LIMITS, ...limits },
    ),
    createScanner(),
    { limits },
  );
  return {
    result,
    paths: result.files.map(f => f.path).sort(),
    messages: result.findings.map(f => f.message).join('\n'),
    decision: evaluatePolicy(result, DEFAULT_POLICY, { now: new Date() })
      .decision,
  };
}

/** The path of layer `index`'s blob in a single-image layout written by writeLayout. */
async function layerBlob(layout: string, index: number): Promise<string> {
  const top = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8'));
  const manifest = JSON.parse(
    await readFile(
      join(layout, 'blobs/sha256', top.manifests[0].digest.slice(7)),
      'utf8',
    ),
  );
  return join(layout, 'blobs/sha256', manifest.layers[index].digest.slice(7));
}

describe('streamed layer tars', () => {
  const tar = buildTar([
    {
      name: 'x',
      type: 'x',
      data: paxRecord('path', `deep/${'p'.repeat(150)}.py`),
    },
    { name: 'ignored-by-pax.py', data: 'print(1)\n' },
    { name: '././@LongLink', type: 'L', data: `long/${'l'.repeat(120)}.txt` },
    { name: 'cut', data: 'long name\n' },
    { name: 'models/a.pkl', data: MALICIOUS_PICKLE },
    { name: 'models/b.pkl', type: '1', linkName: 'models/a.pkl' },
    { name: 'etc', type: '5' },
    { name: 'big.bin', data: Buffer.alloc(200_000, 3) },
  ]);

  async function parse(size: number, budget = 1e9) {
    const spool: Spool = {
      dir: await mkdtemp(join(dir, 'spool-')),
      files: 0,
      bytesLeft: budget,
    };
    const parsed = await parseLayerTar(pieces(tar, size), 100, spool);
    return { parsed, spool };
  }

  it('gives the same entries whatever the chunk boundaries, with file bytes on disk only', async () => {
    const expected = (await parse(1 << 20)).parsed;
    expect(expected.problems).toEqual([]);
    expect(expected.entries.map(e => [e.path, e.kind, e.size])).toEqual([
      [`deep/${'p'.repeat(150)}.py`, 'file', 9],
      [`long/${'l'.repeat(120)}.txt`, 'file', 10],
      ['models/a.pkl', 'file', MALICIOUS_PICKLE.length],
      ['models/b.pkl', 'hardlink', undefined],
      ['etc', 'dir', undefined],
      ['big.bin', 'file', 200_000],
    ]);
    for (const size of [1, 7, 511, 513, 4096]) {
      const { parsed } = await parse(size);
      expect(parsed.problems).toEqual([]);
      expect(parsed.entries.map(e => [e.path, e.kind, e.size])).toEqual(
        expected.entries.map(e => [e.path, e.kind, e.size]),
      );
      const pickle = parsed.entries.find(e => e.path === 'models/a.pkl')!;
      expect((await readFile(pickle.spill!)).equals(MALICIOUS_PICKLE)).toBe(
        true,
      );
    }
  });

  it('lists members past the spool budget without their bytes and says so', async () => {
    const { parsed, spool } = await parse(4096, 1000);
    expect(spool.exhausted).toBe(true);
    const big = parsed.entries.find(e => e.path === 'big.bin')!;
    expect(big.spill).toBeUndefined();
    expect(await readdir(spool.dir)).toHaveLength(3);
  });

  it('reports a tar cut inside a member as a problem, not as a short file', async () => {
    const cut = tar.subarray(0, tar.length - 10240 - 100_000);
    const spool: Spool = {
      dir: await mkdtemp(join(dir, 'spool-')),
      files: 0,
      bytesLeft: 1e9,
    };
    const parsed = await parseLayerTar(pieces(cut, 4096), 100, spool);
    expect(parsed.problems).toEqual(['the layer ends inside a tar entry']);
    expect(parsed.entries.map(e => e.path)).not.toContain('big.bin');
  });
});

describe('streamed image layers', () => {
  const IMAGE: TestImage = {
    config: NON_ROOT,
    layers: [
      [{ name: 'app/serve.py', data: 'print("ok")\n' }],
      [
        { name: 'models/a.pkl', data: MALICIOUS_PICKLE },
        { name: 'models/b.pkl', type: '1', linkName: 'models/a.pkl' },
      ],
    ],
  };

  it('materialises hard links from the spool', async () => {
    const { paths, result } = await scan(
      await writeLayout(join(dir, 'ok'), [IMAGE]),
    );
    expect(paths).toEqual(['app/serve.py', 'models/a.pkl', 'models/b.pkl']);
    expect(
      result.findings.filter(f => f.ruleId === 'PICKLE-EXEC').length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('applies nothing of a layer whose streamed bytes do not match its digest', async () => {
    const layout = await writeLayout(join(dir, 'swap'), [IMAGE]);
    // Same digest on the outside, other content: found only once the stream has ended.
    await writeFile(
      await layerBlob(layout, 1),
      gzipSync(
        buildTar([{ name: 'models/other.pkl', data: MALICIOUS_PICKLE }]),
      ),
    );
    const { paths, messages, decision } = await scan(layout);
    expect(paths).toEqual(['app/serve.py']);
    expect(messages).toMatch(/layer 1 .* does not match its content/);
    expect(decision).not.toBe('PASS');
  });

  it('stops spooling at maxFilesystemBytes: a finding, never a PASS', async () => {
    const { messages, decision, paths } = await scan(
      await writeLayout(join(dir, 'full'), [
        {
          config: NON_ROOT,
          layers: [
            [{ name: 'data/filler.bin', data: Buffer.alloc(60_000, 1) }],
            [{ name: 'app/serve.py', data: 'print("ok")\n' }],
          ],
        },
      ]),
      { maxFilesystemBytes: 50_000 },
    );
    expect(messages).toContain('maxFilesystemBytes (50000)');
    expect(paths).toEqual(['app/serve.py']);
    expect(decision).not.toBe('PASS');
  });
});
