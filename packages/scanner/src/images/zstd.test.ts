import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '../createScanner';
import { DEFAULT_POLICY } from '../policy/defaults';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import { buildTar } from '../formats/archive/testing/tarWriter';
import { DEFAULT_IMAGE_LIMITS, ImageReadError } from './limits';
import type { ByteStream } from './byteStreams';
import { decompressedLayer, outputBounded } from './layerDecompress';
import { openImageStore, scanImage } from './scanImage';
import { MALICIOUS_PICKLE, writeLayout } from './testing/imageBuilder';
import { zstdCompressor } from './testing/zstdCompress';
import { isZstd, nativeZstd, zstdPortable, zstdStream } from './zstd';

const zstd = zstdCompressor();
if (!zstd)
  console.warn(
    'zstd layer tests skipped: neither /usr/bin/zstd nor node:zlib zstdCompressSync exists',
  );
const describeZstd = zstd ? describe : describe.skip;

describeZstd(`zstd layers (compressed with ${zstd?.name})`, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlgov-zstd-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('flattens tar+zstd layers like gzip ones: a restored malicious pickle blocks', async () => {
    const layout = await writeLayout(join(dir, 'layout'), [
      {
        zstd: true,
        config: { User: '10001' },
        layers: [
          [{ name: 'models/model.pkl', data: MALICIOUS_PICKLE }],
          [{ name: 'models/.wh.model.pkl' }],
          [
            { name: 'models/model.pkl', data: MALICIOUS_PICKLE },
            { name: 'app/serve.py', data: 'print("ok")\n' },
          ],
        ],
      },
    ]);
    const store = await openImageStore(
      { kind: 'oci-layout', path: layout },
      DEFAULT_IMAGE_LIMITS,
    );
    const result = await scanImage('zstd', store, createScanner());
    expect(result.findings.map(f => f.ruleId)).not.toContain(
      'IMAGE-UNREADABLE',
    );
    expect(result.files.map(f => f.path).sort()).toEqual([
      'app/serve.py',
      'models/model.pkl',
    ]);
    expect(
      evaluatePolicy(result, DEFAULT_POLICY, { now: new Date() }).decision,
    ).toBe('BLOCK');
  });

  /** Every decoder this Node has: fzstd always, zlib's own from Node 22.15. */
  const native = nativeZstd();
  const limited = (max: number) => ({
    ...DEFAULT_IMAGE_LIMITS,
    maxLayerBytes: max,
  });
  type Decode = (bytes: Uint8Array, max: number) => Promise<Buffer>;
  const through =
    (decode: (source: ByteStream) => ByteStream): Decode =>
    async (bytes, max) => {
      const chunks: Uint8Array[] = [];
      // Fed in 64 KiB pieces, bounded the way a scan bounds a layer.
      for await (const chunk of outputBounded(decode(pieces(bytes)), max))
        chunks.push(chunk);
      return Buffer.concat(chunks);
    };
  const decoders: [string, Decode][] = [
    ['fzstd', through(zstdPortable)],
    ...(native
      ? [
          ['node:zlib', through(source => zstdStream(source, native))] as [
            string,
            Decode,
          ],
        ]
      : []),
  ];
  if (!native)
    console.warn('node:zlib has no zstd decoder here: only fzstd is tested');

  it.each(decoders)(
    '%s decodes a layer and stops a zstd bomb at maxLayerBytes',
    async (_, decode) => {
      const tar = buildTar([
        { name: 'a.txt', data: 'x'.repeat(100_000) },
        { name: 'b.bin', data: Buffer.alloc(3_000_000, 1) },
      ]);
      const compressed = zstd!.compress(tar);
      expect(isZstd(compressed)).toBe(true);
      // Buffer.equals: jest's deep equality walks megabytes byte by byte.
      expect((await decode(compressed, tar.length)).equals(tar)).toBe(true);
      // 16 MiB of zeros compresses to under a KiB: a bomb against a 1 MiB layer limit.
      const bomb = zstd!.compress(Buffer.alloc(16 * 1024 ** 2));
      expect(bomb.length).toBeLessThan(4 * 1024);
      await expect(decode(bomb, 1024 ** 2)).rejects.toThrow(
        /more than maxLayerBytes/,
      );
      await expect(
        (async () => {
          for await (const _chunk of decompressedLayer(
            pieces(bomb),
            limited(1024 ** 2),
          ));
        })(),
      ).rejects.toThrow(ImageReadError);
    },
  );

  it.each(decoders)(
    '%s refuses a truncated or corrupted layer (an unreadable-layer finding, never a pass)',
    async (_, decode) => {
      const good = zstd!.compress(
        buildTar([{ name: 'models/model.pkl', data: MALICIOUS_PICKLE }]),
      );
      const truncated = good.subarray(0, Math.floor(good.length / 2));
      const corrupted = Buffer.from(good);
      corrupted.fill(0xff, 6, Math.min(corrupted.length, 40));
      for (const bytes of [truncated, corrupted])
        await expect(decode(bytes, 1024 ** 2)).rejects.toThrow(ImageReadError);
    },
  );
});

async function* pieces(bytes: Uint8Array): ByteStream {
  for (let at = 0; at < bytes.length; at += 65536)
    yield bytes.subarray(at, at + 65536);
}
