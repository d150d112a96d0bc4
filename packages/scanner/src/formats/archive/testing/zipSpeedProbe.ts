import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '../../../createScanner';
import { pytorchZipSpec, writeSparseZip } from './zipWriter';

/**
 * Measurements for zipSpeed.test.ts, run in a plain Node process (inside Jest's sandbox typed arrays
 * come from another realm and the reader runs several times slower). Prints one JSON line.
 *
 * Both checkpoints are PyTorch zips of 4-byte storages, the shape whose cost is one directory record
 * and one local header per member. The floor is SHA-256 of the same file in the same process: a
 * read of every byte the scan reads.
 */
async function bestOf(
  runs: number,
  work: () => Promise<void>,
): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = process.cpuUsage();
    await work();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1e3);
  }
  return best;
}

function checkpoint(dir: string, members: number): string {
  const file = join(dir, `${members}.pt`);
  const pickle = Buffer.from('\x80\x02}q\x00.', 'latin1');
  writeSparseZip(
    file,
    pytorchZipSpec(
      pickle,
      Array.from({ length: members }, (_, i) => ({
        name: String(i),
        data: Buffer.alloc(4),
      })),
    ),
  );
  return file;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mlgov-zip-speed-'));
  try {
    const small = checkpoint(dir, 25_000);
    const large = checkpoint(dir, 100_000);
    const scanner = createScanner();
    const scan = (file: string) => async () => {
      const result = await scanner.scanPath(file);
      const storages = result.components.find(
        c => c.properties?.tensorStorages,
      );
      if (!storages)
        throw new Error(`${file}: not read as a PyTorch checkpoint`);
    };
    // Warm-up: the first scan also compiles the reader, which a CLI pays once per process.
    await scan(small)();
    const smallMs = await bestOf(5, scan(small));
    const largeMs = await bestOf(5, scan(large));
    const hashMs = await bestOf(5, async () => {
      createHash('sha256').update(readFileSync(large)).digest();
    });
    console.log(JSON.stringify({ smallMs, largeMs, hashMs }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
