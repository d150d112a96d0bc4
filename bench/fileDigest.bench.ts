import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestFileTree } from '../plugins/ml-governance-backend/src/scanning/fileTreeDigest';

/**
 * Cost of the content digest of a `file:` target against its floor: `sha256sum` (coreutils, native)
 * over the same files in the same run, page cache warm for both (each is run once before timing).
 * Two shapes: one big checkpoint, and many small files (per-entry overhead). Prints JSON lines.
 *   node bench/run.js fileDigest [MiB, default 1024]
 */
const best = (runs: number[]) => Math.min(...runs);

async function time(run: () => unknown, times = 3): Promise<number> {
  await run();
  const runs: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = process.hrtime.bigint();
    await run();
    runs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return best(runs);
}

export async function main(args: string[]): Promise<void> {
  const mib = Number(args[0] ?? '1024');
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-digest-bench-'));
  try {
    const big = join(dir, 'big');
    await mkdir(big);
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i += 4)
      chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
    const parts: Buffer[] = [];
    for (let i = 0; i < mib; i++) parts.push(chunk);
    const whole = Buffer.concat(parts);
    await writeFile(join(big, 'model.bin'), whole);
    // The floor: sha256 of bytes already in memory (OpenSSL, as node:crypto uses it), no I/O at all.
    const hashOnlyMs = await time(() =>
      createHash('sha256').update(whole).digest(),
    );

    const many = join(dir, 'many');
    const count = 20_000;
    for (let i = 0; i < count; i++) {
      const folder = join(many, String(i % 100));
      if (i < 100) await mkdir(folder, { recursive: true });
      await writeFile(join(folder, `f${i}.py`), chunk.subarray(0, 4096));
    }

    for (const [name, root, bytes] of [
      ['one-file', big, mib * 1024 * 1024],
      ['many-files', many, count * 4096],
    ] as const) {
      const oursMs = await time(() => digestFileTree(root));
      const floorMs = await time(() =>
        execFileSync(
          'sh',
          ['-c', `find . -type f -print0 | xargs -0 sha256sum > /dev/null`],
          { cwd: root },
        ),
      );
      console.log(
        JSON.stringify({
          case: `file-digest-${name}`,
          files: name === 'one-file' ? 1 : count,
          mib: Math.round(bytes / 1024 / 1024),
          oursMs: Math.round(oursMs),
          sha256sumMs: Math.round(floorMs),
          ...(name === 'one-file'
            ? { hashInMemoryMs: Math.round(hashOnlyMs) }
            : {}),
          ratio: Number((oursMs / floorMs).toFixed(2)),
          oursSecondsPerGiB: Number(
            ((oursMs / 1000) * ((1024 * 1024 * 1024) / bytes)).toFixed(2),
          ),
        }),
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
