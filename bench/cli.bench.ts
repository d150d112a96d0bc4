import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * CLI start-up: how long `mlgov` takes for what a pipeline runs most, as a person at a terminal
 * feels it (wall clock of a fresh process). Runs the built CLI (`dist/mlgov.cjs.js`, what the
 * published package runs), so build first: `yarn workspace @ml-governance/scanner build`.
 *   node bench/run.js cli [runs]          the repository's build
 *   MLGOV_BIN=/path/to/mlgov node bench/run.js cli    an installed package (e.g. from the tarball)
 * Targets (docs/benchmarks.md): `mlgov --version` ≤ 100 ms, a scan of one small file ≤ 150 ms.
 * Prints wall-clock median and fastest run, CPU time (user + system, the least disturbed by other load
 * on a shared machine), peak RSS, and bare `node -e 0` as the floor under every Node CLI.
 */

const repo = resolve(__dirname, '..');
const bin =
  process.env.MLGOV_BIN ?? join(repo, 'packages', 'scanner', 'bin', 'mlgov');

interface Run {
  ms: number;
  cpuMs?: number;
  rssMb?: number;
}

// `args` null: bare `node -e 0`, the floor no Node CLI can go below on this machine at this moment.
function once(args: string[] | null): Run {
  const timed = existsSync('/usr/bin/time');
  const nodeArgs = args ? [bin, ...args] : ['-e', '0'];
  const command = timed ? '/usr/bin/time' : process.execPath;
  const argv = timed
    ? ['-f', '%M %U %S', process.execPath, ...nodeArgs]
    : nodeArgs;
  const start = process.hrtime.bigint();
  const run = spawnSync(command, argv, {
    env: { ...process.env, MLGOV_USE_BUILD: '1' },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && run.status !== 10 && run.status !== 20) {
    throw new Error(
      `mlgov ${args?.join(' ')} exited ${run.status}: ${run.stderr}`,
    );
  }
  if (!timed) return { ms };
  const [rssKb, user, sys] = run.stderr
    .trim()
    .split('\n')
    .pop()!
    .split(' ')
    .map(Number);
  return { ms, cpuMs: (user + sys) * 1000, rssMb: rssKb / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(
  name: string,
  args: string[] | null,
  runs: number,
  targetMs?: number,
) {
  once(args); // warms the OS file cache and Node's compile cache, as every run after the first has it
  const results = Array.from({ length: runs }, () => once(args));
  const row = {
    case: name,
    runs,
    medianMs: Math.round(median(results.map(r => r.ms))),
    fastestMs: Math.round(Math.min(...results.map(r => r.ms))),
    medianCpuMs:
      results[0].cpuMs === undefined
        ? undefined
        : Math.round(median(results.map(r => r.cpuMs!))),
    targetMs,
    peakRssMb: Math.max(...results.map(r => r.rssMb ?? 0)) || undefined,
  };
  console.log(JSON.stringify(row));
  return row;
}

export async function main(argv: string[]) {
  const runs = Number(argv[0] ?? 15);
  if (
    !process.env.MLGOV_BIN &&
    !existsSync(join(repo, 'packages', 'scanner', 'dist', 'mlgov.cjs.js'))
  ) {
    throw new Error(
      'build the scanner first: yarn workspace @ml-governance/scanner build',
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'mlgov-cli-bench-'));
  try {
    const small = join(work, 'train.py');
    writeFileSync(
      small,
      'import json\n\ndef load(path):\n    with open(path) as f:\n        return json.load(f)\n',
    );
    const policy = join(work, 'policy.yaml');
    writeFileSync(policy, 'apiVersion: mlgov/v1\nfail_on: high\n');
    const rows = [
      measure('node -e 0 (floor)', null, runs),
      measure('mlgov --version', ['--version'], runs, 100),
      measure('mlgov scan <one small .py>', ['scan', small], runs, 150),
      // What the lazily loaded parts cost when a scan does need them (yaml + zod, cyclonedx-library).
      measure(
        'mlgov scan <one small .py> --policy p.yaml --cyclonedx bom.json',
        [
          'scan',
          small,
          '--policy',
          policy,
          '--cyclonedx',
          join(work, 'bom.json'),
        ],
        runs,
      ),
    ];
    console.log(
      '\n| case | wall median | wall fastest | CPU median | target | peak RSS |\n|---|---|---|---|---|---|',
    );
    for (const r of rows) {
      console.log(
        `| \`${r.case}\` | ${r.medianMs} ms | ${r.fastestMs} ms | ${
          r.medianCpuMs ?? '?'
        } ms | ${r.targetMs ? `≤ ${r.targetMs} ms` : ''} | ${
          r.peakRssMb?.toFixed(0) ?? '?'
        } MB |`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
