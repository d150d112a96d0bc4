import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '../packages/scanner/src/createScanner';
import { DEFAULT_IMAGE_LIMITS } from '../packages/scanner/src/images/limits';
import {
  parseRegistryReference,
  registryStore,
} from '../packages/scanner/src/images/registry';
import { scanImage } from '../packages/scanner/src/images/scanImage';
import { distInfo } from '../packages/scanner/src/images/testing/imageBuilder';
import {
  SKOPEO_BINARY,
  registryToolsInstalled,
  startLocalRegistry,
} from '../packages/scanner/src/images/testing/localRegistry';

/**
 * A generated multi-GB image pulled from Debian's docker-registry on loopback and scanned with
 * every analyzer, against `skopeo copy` of the same image to an OCI layout in the same run (the
 * pull-and-verify floor: transfer, digests, no decompression, no scan). Weights and libraries are
 * random bytes, so gzip cannot shrink them: the image is as large as it says. Prints one JSON line.
 *   node bench/run.js images [GiB of model weights, default 1] [GiB of libraries, default 1]
 */
const GiB = 1024 ** 3;
const LIB_FILE = 8 * 1024 ** 2;

function randomBytes(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let at = 0; at < size; at += 64 * 1024 ** 2)
    randomFillSync(out, at, Math.min(64 * 1024 ** 2, size - at));
  return out;
}

function safetensors(weightBytes: number): Buffer {
  const header = Buffer.from(
    JSON.stringify({
      w: { dtype: 'U8', shape: [weightBytes], data_offsets: [0, weightBytes] },
    }),
  );
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([size, header, randomBytes(weightBytes)]);
}

export async function main(args: string[]): Promise<void> {
  if (!registryToolsInstalled)
    throw new Error('needs /usr/bin/docker-registry and /usr/bin/skopeo');
  const modelGiB = Number(args[0] ?? '1');
  const libGiB = Number(args[1] ?? '1');
  const registry = await startLocalRegistry();
  const floorDir = await mkdtemp(join(tmpdir(), 'mlgov-image-floor-'));
  try {
    const libraries = Array.from(
      { length: Math.round((libGiB * GiB) / LIB_FILE) },
      (_, i) => ({
        name: `usr/local/lib/python3.12/site-packages/lib${
          i % 40
        }/_native${i}.so`,
        data: randomBytes(LIB_FILE),
      }),
    );
    const source = Array.from({ length: 500 }, (_, i) => ({
      name: `app/pkg${i % 20}/mod${i}.py`,
      data: `import os\n\ndef f${i}(x):\n    return x + ${i}\n`,
    }));
    let started = process.hrtime.bigint();
    const digest = await registry.pushImage('bench/serving', '1.0', [
      {
        config: { User: '10001', Cmd: ['python', '-m', 'app'] },
        layers: [
          [
            ...Array.from({ length: 200 }, (_, i) =>
              distInfo(`lib${i}`, '1.0', 'MIT'),
            ),
            ...libraries,
          ],
          source,
          [
            {
              name: 'models/model.safetensors',
              data: safetensors(Math.round(modelGiB * GiB)),
            },
          ],
        ],
      },
    ]);
    libraries.length = 0;
    const buildSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const uri = `oci://${registry.host}/bench/serving:1.0`;

    // The floor: pull every blob and check its digest, nothing else.
    started = process.hrtime.bigint();
    execFileSync(SKOPEO_BINARY, [
      'copy',
      '--insecure-policy',
      '--src-tls-verify=false',
      `docker://${registry.host}/bench/serving:1.0`,
      `oci:${join(floorDir, 'layout')}`,
    ]);
    const skopeoSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const blobs = join(floorDir, 'layout', 'blobs', 'sha256');
    let imageBytes = 0;
    for (const name of await readdir(blobs))
      imageBytes += (await stat(join(blobs, name))).size;
    await rm(floorDir, { recursive: true, force: true });

    const store = registryStore(
      parseRegistryReference(uri)!,
      DEFAULT_IMAGE_LIMITS,
    );
    started = process.hrtime.bigint();
    const result = await scanImage(uri, store, createScanner());
    const scanSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const flattenedBytes = result.files.reduce((sum, f) => sum + f.size, 0);
    const analyzerBytes = result.files.reduce((sum, f) => sum + f.bytesRead, 0);
    console.log(
      JSON.stringify({
        case: 'image-scan-registry',
        digest,
        imageBytes,
        buildSeconds: Number(buildSeconds.toFixed(1)),
        skopeoPullSeconds: Number(skopeoSeconds.toFixed(2)),
        scanSeconds: Number(scanSeconds.toFixed(2)),
        ratioToSkopeoPull: Number((scanSeconds / skopeoSeconds).toFixed(2)),
        registryBytesRead: store.bytesRead,
        registryBytesReadPerImageByte: Number(
          (store.bytesRead / imageBytes).toFixed(3),
        ),
        requests: store.requests,
        files: result.files.length,
        flattenedBytes,
        analyzerBytesRead: analyzerBytes,
        findings: [...new Set(result.findings.map(f => f.ruleId))].sort(),
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
      }),
    );
  } finally {
    await rm(floorDir, { recursive: true, force: true });
    await registry.stop();
  }
}
