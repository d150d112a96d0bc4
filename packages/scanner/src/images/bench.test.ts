/** Large-image timing; runs only with MLGOV_BENCH=1 (numbers go to docs/benchmarks.md). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '../createScanner';
import { DEFAULT_IMAGE_LIMITS } from './limits';
import { openImageStore, scanImage } from './scanImage';
import { distInfo, writeLayout } from './testing/imageBuilder';

const run = process.env.MLGOV_BENCH === '1' ? it : it.skip;

run(
  'scans a large image',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlgov-bench-'));
    try {
      const header = Buffer.from(
        JSON.stringify({
          w: { dtype: 'F32', shape: [52428800], data_offsets: [0, 209715200] },
        }),
      );
      const size = Buffer.alloc(8);
      size.writeBigUInt64LE(BigInt(header.length));
      const model = Buffer.concat([size, header, Buffer.alloc(209715200, 7)]);
      const source = Array.from({ length: 2000 }, (_, i) => ({
        name: `app/pkg${i % 50}/mod${i}.py`,
        data: `import os\n\ndef f${i}(x):\n    return x + ${i}\n`,
      }));
      const dists = Array.from({ length: 200 }, (_, i) =>
        distInfo(`lib${i}`, '1.0', 'MIT'),
      );
      const layout = await writeLayout(join(dir, 'layout'), [
        {
          config: { User: 'app' },
          layers: [
            dists,
            source,
            [{ name: 'models/model.safetensors', data: model }],
            [{ name: 'app/pkg0/.wh.mod0.py' }],
          ],
        },
      ]);
      const store = await openImageStore(
        { kind: 'oci-layout', path: layout },
        DEFAULT_IMAGE_LIMITS,
      );
      const started = process.hrtime.bigint();
      const result = await scanImage('bench', store, createScanner());
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const scannerBytes = result.files.reduce(
        (sum, f) => sum + f.bytesRead,
        0,
      );
      const fsBytes = result.files.reduce((sum, f) => sum + f.size, 0);
      console.log(
        JSON.stringify({
          ms: Math.round(ms),
          imageBytesRead: store.bytesRead,
          files: result.files.length,
          flattenedBytes: fsBytes,
          analyzerBytesRead: scannerBytes,
          findings: result.findings.length,
          rss: process.memoryUsage().rss,
        }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  300_000,
);
