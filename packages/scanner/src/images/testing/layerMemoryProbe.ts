/**
 * Child-process probe for layerMemory.test.ts (plain Node, so Jest's own heap does not blur RSS).
 * `write <dir> <bytes>` streams an OCI layout whose one gzip layer holds a `<bytes>`-long member of
 * repeated data (small compressed) plus a malicious pickle; `scan <dir>` scans it and prints the
 * resident memory before the scan and the process's peak and the live memory it retained, in MB (`scan <dir> <maxLayerBytes>` scans
 * with a smaller layer limit, to watch a bomb stop early).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { createScanner } from '../../createScanner';
import { DEFAULT_IMAGE_LIMITS } from '../limits';
import { openImageStore, scanImage } from '../scanImage';
import { MALICIOUS_PICKLE } from './imageBuilder';

function ustarHeader(name: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100);
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write('0', 156);
  block.write('ustar\u000000', 257);
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

const padding = (size: number) => Buffer.alloc((512 - (size % 512)) % 512);

async function* layerTar(bigBytes: number) {
  yield ustarHeader('models/model.pkl', MALICIOUS_PICKLE.length);
  yield MALICIOUS_PICKLE;
  yield padding(MALICIOUS_PICKLE.length);
  yield ustarHeader('data/big.bin', bigBytes);
  const chunk = Buffer.alloc(1024 * 1024, 'governance ');
  for (let left = bigBytes; left > 0; left -= chunk.length)
    yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  yield padding(bigBytes);
  yield Buffer.alloc(1024);
}

async function blob(dir: string, bytes: Buffer) {
  const digest = createHash('sha256').update(bytes).digest('hex');
  await writeFile(join(dir, 'blobs/sha256', digest), bytes);
  return { digest: `sha256:${digest}`, size: bytes.length };
}

async function write(dir: string, bigBytes: number) {
  await mkdir(join(dir, 'blobs/sha256'), { recursive: true });
  const partial = join(dir, 'layer.partial');
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    layerTar(bigBytes),
    createGzip({ level: 1 }),
    async function* hashed(source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(partial),
  );
  const layerDigest = hash.digest('hex');
  await rename(partial, join(dir, 'blobs/sha256', layerDigest));
  const config = await blob(
    dir,
    Buffer.from(
      JSON.stringify({
        os: 'linux',
        architecture: 'amd64',
        config: { User: '10001' },
      }),
    ),
  );
  const manifest = await blob(
    dir,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          ...config,
        },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
            digest: `sha256:${layerDigest}`,
            size,
          },
        ],
      }),
    ),
  );
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
        },
      ],
    }),
  );
  return { compressedBytes: size };
}

/**
 * Live memory (V8 heap in use plus buffers outside it) after a full collection, sampled every 20 ms
 * while the scan runs; needs --expose-gc. Unlike peak RSS, which also counts garbage the collector
 * has not had CPU for yet, this is what the pipeline holds, whatever the neighbours do.
 */
function sampleRetainedMemory() {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('the scan probe needs --expose-gc');
  const live = () => {
    collect();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.external;
  };
  const before = live();
  let peak = 0;
  let samples = 0;
  const sample = () => {
    samples++;
    peak = Math.max(peak, live() - before);
  };
  const timer = setInterval(sample, 20);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { retainedPeakMb: Math.round(peak / 1e6), samples };
    },
  };
}

async function scan(dir: string, maxLayerBytes?: number) {
  const scanner = createScanner();
  // Warm the modules the scan loads, so their code is in the baseline rather than the growth.
  await readFile(join(dir, 'index.json'));
  const rssBefore = process.memoryUsage().rss;
  const retained = sampleRetainedMemory();
  const limits = {
    ...DEFAULT_IMAGE_LIMITS,
    ...(maxLayerBytes ? { maxLayerBytes } : {}),
  };
  const store = await openImageStore({ kind: 'oci-layout', path: dir }, limits);
  const started = Date.now();
  const result = await scanImage('probe', store, scanner, { limits });
  const { retainedPeakMb, samples } = retained.stop();
  return {
    retainedPeakMb,
    samples,
    ms: Date.now() - started,
    rssBeforeMb: Math.round(rssBefore / 1e6),
    peakRssMb: Math.round((resourceUsage().maxRSS * 1024) / 1e6),
    imageBytesRead: store.bytesRead,
    files: result.files.map(f => ({ path: f.path, size: f.size })),
    ruleIds: [...new Set(result.findings.map(f => f.ruleId))],
    messages: result.findings.map(f => f.message),
  };
}

async function main() {
  const [command, dir, bytes] = process.argv.slice(2);
  const output =
    command === 'write'
      ? await write(dir, Number(bytes))
      : await scan(dir, bytes ? Number(bytes) : undefined);
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch(error => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
