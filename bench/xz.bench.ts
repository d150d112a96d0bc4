import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeXz } from '../packages/scanner/src/formats/archive/support/lzmaDecoder';

/**
 * Cost of verifying .xz integrity: the same 48 MiB written by Python's lzma with check none, CRC64
 * (xz's default) and SHA-256, decoded by our decoder (which verifies the check) and, as the peer in
 * the same run, by Python's lzma.decompress (liblzma, native, verifies it too). Prints JSON lines.
 *   node bench/run.js xz [MiB, default 48]
 * Needs python3 with the lzma module (/usr/bin/python3 has it).
 */
const CHECKS = {
  none: 'CHECK_NONE',
  crc64: 'CHECK_CRC64',
  sha256: 'CHECK_SHA256',
};

const best = (runs: number[]) => Math.min(...runs);

export async function main(args: string[]): Promise<void> {
  const mib = Number(args[0] ?? '48');
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-xz-bench-'));
  try {
    // Half random (stored chunks), half repetitive text (LZMA-coded): both decoder paths run.
    const write = Object.entries(CHECKS)
      .map(
        ([name, check]) =>
          `open(${JSON.stringify(
            join(dir, `${name}.xz`),
          )},'wb').write(lzma.compress(data, check=lzma.${check}, preset=1))`,
      )
      .join('\n');
    execFileSync('/usr/bin/python3', [
      '-c',
      `import lzma, random\nrandom.seed(0)\nhalf=${mib} * 2**19\ndata=random.randbytes(half) + (b'pickle bytes ' * (half // 13 + 1))[:half]\n${write}`,
    ]);
    for (const name of Object.keys(CHECKS)) {
      const path = join(dir, `${name}.xz`);
      const bytes = await readFile(path);
      const ours: number[] = [];
      for (let run = 0; run < 3; run++) {
        const started = process.hrtime.bigint();
        const decoded = decodeXz(bytes, 2 ** 31);
        ours.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (decoded.damage) throw new Error(`${name}: ${decoded.damage}`);
      }
      const peer = execFileSync('/usr/bin/python3', [
        '-c',
        `import lzma,time\nb=open(${JSON.stringify(
          path,
        )},'rb').read()\nr=[]\nfor _ in range(3):\n t=time.perf_counter(); lzma.decompress(b); r.append((time.perf_counter()-t)*1000)\nprint(min(r))`,
      ]);
      const peerMs = Number(String(peer).trim());
      console.log(
        JSON.stringify({
          case: `xz-${name}`,
          mib,
          oursMs: Math.round(best(ours)),
          pythonLzmaMs: Math.round(peerMs),
          ratio: Number((best(ours) / peerMs).toFixed(2)),
        }),
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
