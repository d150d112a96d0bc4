import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findSquatTarget } from '../packages/scanner/src/deps/checks/typosquat';
import {
  writeDenseTuplePickle,
  writeLargeUvProject,
  writePythonTree,
  writeSmallArtifactTree,
  writeSparseGguf,
  writeSparseKerasH5,
  writeSparseOnnx,
  writeSparseSafetensors,
  writeSparseTorchCheckpoint,
  writeManyMemberCheckpoint,
} from './generate';

/**
 * Scanner benchmarks. Each case runs in its own Node process (so peak RSS is the case's own) on
 * inputs generated under the OS temp dir, and prints one JSON line; `main()` without a case runs them
 * all and prints a Markdown table for docs/benchmarks.md. Figures are machine-dependent: compare ratios
 * within one run (e.g. our pickle walk vs CPython's pickletools on the same file).
 */

interface CaseResult {
  case: string;
  input: string;
  seconds: number;
  /** CPU seconds of the scan (every thread of the process): steadier than wall time on a shared machine. */
  cpuSeconds?: number;
  /** Resident memory just before the scan (Node, the TypeScript transform, the scanner's modules). */
  rssBeforeMb?: number;
  throughput?: string;
  bytesRead?: number;
  inputBytes?: number;
  peakRssMb: number;
  findings: number;
  note?: string;
}

type Case = (
  work: string,
  scale?: number,
) => Promise<Omit<CaseResult, 'case' | 'peakRssMb'>>;

/** Inputs of each scaling series (the case's `scale`), so that a bend in time or memory shows. */
const SCALES: Record<string, number[]> = {
  'pickle-walk': [500_000, 1_000_000, 2_000_000, 4_000_000, 8_000_000],
  'small-tree': [1250, 2500, 5000, 10_000],
  'archive-members': [12_500, 25_000, 50_000, 100_000],
  'uv-lock': [1250, 2500, 5000, 10_000],
  'python-tree': [500, 1000, 2000, 4000],
  'python-tree-unicode': [500, 1000, 2000, 4000],
};

const GB = 1024 ** 3;
const MB = 1024 ** 2;

/**
 * The scanner under test: this checkout's, or another version's sources named by
 * MLGOV_BENCH_SCANNER (e.g. an earlier commit unpacked with `git archive`), for before/after runs.
 */
function createScanner(): import('@ml-governance/scanner').Scanner {
  const other = process.env.MLGOV_BENCH_SCANNER;
  const module: typeof import('@ml-governance/scanner') = other
    ? require(resolve(other))
    : require('@ml-governance/scanner');
  return module.createScanner();
}

async function timedScan(path: string) {
  const scanner = createScanner();
  const rssBeforeMb = Math.round(process.memoryUsage.rss() / MB);
  const cpuStarted = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await scanner.scanPath(path);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  const bytesRead = result.files.reduce((sum, f) => sum + f.bytesRead, 0);
  return {
    result,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    bytesRead,
    rssBeforeMb,
  };
}

/** Wall seconds of a child process (its start-up included), or undefined when it fails. */
function timedChild(
  command: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): number | undefined {
  const started = process.hrtime.bigint();
  const child = spawnSync(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: env ? { ...process.env, ...env } : process.env,
  });
  if (child.status !== 0) return undefined;
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * The I/O floor of a file in the same run: `cat` to /dev/null (read only) and `sha256sum` (read and
 * hash every byte), each a child process reading the same bytes from the page cache.
 */
function ioFloor(file: string): {
  catSeconds?: number;
  sha256Seconds?: number;
} {
  timedChild('cat', [file]); // warms the page cache for every contender alike
  return {
    catSeconds: timedChild('sh', ['-c', 'cat "$0" > /dev/null', file]),
    sha256Seconds: timedChild('sha256sum', [file]),
  };
}

/**
 * picklescan (the peer the issue names), run from its source tree when MLGOV_BENCH_PICKLESCAN names
 * the folder holding its `picklescan` package (it has no dependencies; not installable from a
 * registry here). Timed inside Python around `scan_file_path`, so interpreter start-up is excluded
 * as the Node start-up is from ours.
 */
function picklescanSeconds(
  path: string,
  maxBytes = Infinity,
): number | undefined {
  const source = process.env.MLGOV_BENCH_PICKLESCAN;
  if (!source) return undefined;
  // On the dense pickle it reads about 1 MB/s: the largest scales would take minutes.
  if (statSync(path).size > maxBytes) return undefined;
  const script = `import sys, time; sys.path.insert(0, sys.argv[1]); from picklescan.scanner import scan_file_path, scan_directory_path; import os; t = time.perf_counter(); (scan_directory_path if os.path.isdir(sys.argv[2]) else scan_file_path)(sys.argv[2]); print(time.perf_counter() - t)`;
  const child = spawnSync('/usr/bin/python3', ['-c', script, source, path], {
    encoding: 'utf8',
  });
  if (child.status !== 0) {
    console.error(`picklescan failed: ${child.stderr}`);
    return undefined;
  }
  return Number(child.stdout.trim());
}

const rate = (bytes: number, seconds: number) =>
  `${(bytes / 1e6 / seconds).toFixed(0)} MB/s`;

function hasH5py(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import h5py']).status === 0;
}

function python(): string | undefined {
  const found = spawnSync('python3', ['--version']);
  return found.status === 0 ? 'python3' : undefined;
}

/**
 * One large generated file whose payload region is sparse: the figure that matters is how little of it
 * the scanner reads (headers, directories, metadata), and the time that takes.
 */
function sparseFileCase(
  fileName: string,
  write: (path: string) => Promise<number>,
  describe: (size: number) => string,
  note?: string,
): Case {
  return async work => {
    const file = join(work, fileName);
    const size = await write(file);
    const { result, seconds, bytesRead } = await timedScan(file);
    return {
      input: describe(size),
      seconds,
      bytesRead,
      inputBytes: size,
      findings: result.findings.length,
      note:
        note ?? `read ${((bytesRead / size) * 100).toFixed(5)}% of the file`,
    };
  };
}

const CASES: Record<string, Case> = {
  /**
   * Opcode-dense pickle (`[(i, -i) for i in range(n)]`, protocol 4), the shape that takes established
   * scanners minutes. Beside the full scan, the same process times a raw read of the file (the I/O
   * floor) and CPython's pickletools.genops on it (which only lists opcodes).
   */
  async 'pickle-walk'(work, tuples = 2_000_000) {
    const file = join(work, 'dense.pkl');
    const size = await writeDenseTuplePickle(file, tuples);
    const floor = ioFloor(file);
    const scan = await timedScan(file);
    const py = python();
    const genops = py
      ? Number(
          execFileSync(py, [
            '-c',
            `import pickletools, time; d = open(${JSON.stringify(
              file,
            )}, 'rb').read(); t = time.perf_counter(); n = sum(1 for _ in pickletools.genops(d)); print(time.perf_counter() - t)`,
          ]).toString(),
        )
      : undefined;
    const peer = picklescanSeconds(file, 30e6);
    const notes = [
      floor.catSeconds &&
        `cat ${rate(size, floor.catSeconds)} (${(
          scan.seconds / floor.catSeconds
        ).toFixed(1)}× the scan's speed)`,
      floor.sha256Seconds && `sha256sum ${rate(size, floor.sha256Seconds)}`,
      genops && `pickletools.genops ${rate(size, genops)}`,
      peer &&
        `picklescan ${rate(size, peer)} (${(peer / scan.seconds).toFixed(
          1,
        )}× slower)`,
    ];
    return {
      input: `${(size / 1e6).toFixed(1)} MB protocol-4 pickle, ${(
        tuples / 1e6
      ).toFixed(1)} M tuples`,
      seconds: scan.seconds,
      cpuSeconds: scan.cpuSeconds,
      rssBeforeMb: scan.rssBeforeMb,
      throughput: rate(size, scan.seconds),
      bytesRead: scan.bytesRead,
      inputBytes: size,
      findings: scan.result.findings.length,
      note: notes.filter(Boolean).join('; '),
    };
  },

  /** A 2 GiB PyTorch checkpoint: only the zip directory and data.pkl should be read. */
  'torch-2gb': sparseFileCase(
    'big.pt',
    path => writeSparseTorchCheckpoint(path, 2 * GB),
    size => `${(size / GB).toFixed(2)} GiB PyTorch zip checkpoint (sparse)`,
  ),

  /** Thousands of small artifacts: per-file overhead of walking, sniffing and dispatching. */
  async 'small-tree'(work, count = 5000) {
    const dir = join(work, 'tree');
    await writeSmallArtifactTree(dir, count);
    timedChild('sh', ['-c', 'cat "$0"/*/* > /dev/null', dir]); // page cache
    // The I/O floor of a tree: opening and reading every file, one process (`cat` of all of them).
    const catSeconds = timedChild('sh', [
      '-c',
      'cat "$0"/*/* > /dev/null',
      dir,
    ]);
    const scan = await timedScan(dir);
    const peer = picklescanSeconds(dir);
    const perSecond = (seconds: number) =>
      `${(count / seconds).toFixed(0)} files/s`;
    return {
      input: `${count} small files (pickle, npy, safetensors, text)`,
      seconds: scan.seconds,
      cpuSeconds: scan.cpuSeconds,
      rssBeforeMb: scan.rssBeforeMb,
      throughput: perSecond(scan.seconds),
      bytesRead: scan.bytesRead,
      findings: scan.result.findings.length,
      note: [
        catSeconds && `cat of every file ${perSecond(catSeconds)}`,
        peer &&
          `picklescan ${perSecond(peer)} (it opens only the ${
            count / 4
          } pickles)`,
      ]
        .filter(Boolean)
        .join('; '),
    };
  },

  'safetensors-header': sparseFileCase(
    'big.safetensors',
    path => writeSparseSafetensors(path, 4 * GB, 1024),
    size => `${(size / GB).toFixed(2)} GiB safetensors, 1,024 tensors (sparse)`,
  ),

  'gguf-header': sparseFileCase(
    'big.gguf',
    path => writeSparseGguf(path, 4 * GB),
    size => `${(size / GB).toFixed(2)} GiB GGUF (sparse)`,
  ),

  'onnx-header': sparseFileCase(
    'big.onnx',
    path => writeSparseOnnx(path, 2 * GB),
    size =>
      `${(size / GB).toFixed(2)} GiB ONNX, one 2 GiB initializer (sparse)`,
  ),

  /**
   * A real HDF5 structure (h5py): two 1 GiB weight datasets allocated but never written, the
   * model_config attribute between them (its JSON lands mid-file). Needs Debian's python3-h5py;
   * without it, a stand-in that is not walkable HDF5 measures the malformed-file fallback.
   */
  'keras-h5': sparseFileCase(
    'big.h5',
    async path => {
      if (!hasH5py()) return writeSparseKerasH5(path, 2 * GB);
      execFileSync('/usr/bin/python3', [
        join(__dirname, 'sparse_keras_h5.py'),
        path,
        String(2 * GB),
      ]);
      return (await stat(path)).size;
    },
    size =>
      `${(size / GB).toFixed(2)} GiB Keras .h5 (sparse${
        hasH5py()
          ? ', h5py, model_config mid-file'
          : ', not HDF5: fallback path'
      })`,
  ),

  async 'uv-lock'(work, count = 5000) {
    const dir = join(work, 'uvproject');
    await writeLargeUvProject(dir, count);
    const size = (await stat(join(dir, 'uv.lock'))).size;
    const { result, seconds, cpuSeconds, rssBeforeMb } = await timedScan(dir);
    // The typosquat check alone, on every package name of the lock (the index is already built).
    const names = [
      ...(await readFile(join(dir, 'uv.lock'), 'utf8')).matchAll(
        /^name = "([^"]+)"$/gm,
      ),
    ].map(match => match[1]);
    const squatStarted = process.hrtime.bigint();
    for (const name of names) findSquatTarget(name);
    const squatMs = Number(process.hrtime.bigint() - squatStarted) / 1e6;
    return {
      note: `typosquat check of its ${names.length} names: ${squatMs.toFixed(
        1,
      )} ms`,
      input: `uv.lock with ${count.toLocaleString('en')} packages (${(
        size / MB
      ).toFixed(1)} MB)`,
      seconds,
      cpuSeconds,
      rssBeforeMb,
      throughput: `${(count / seconds).toFixed(0)} packages/s`,
      findings: result.findings.length,
    };
  },

  /** A zip checkpoint with `members` small members: central-directory work per member. */
  async 'archive-members'(work, members = 100_000) {
    const file = join(work, 'many.pt');
    // Written by another process: building 100,000 members costs ~230 MB, which is not the scan's.
    execFileSync(process.execPath, [
      join(__dirname, 'run.js'),
      'scanner',
      'write-members',
      file,
      String(members),
    ]);
    const size = (await stat(file)).size;
    const { result, seconds, bytesRead, cpuSeconds, rssBeforeMb } =
      await timedScan(file);
    const peer = picklescanSeconds(file);
    const py = python();
    const listing = py
      ? Number(
          execFileSync(py, [
            '-c',
            `import zipfile, time; t = time.perf_counter(); n = len(zipfile.ZipFile(${JSON.stringify(
              file,
            )}).namelist()); print(time.perf_counter() - t)`,
          ]).toString(),
        )
      : undefined;
    return {
      input: `zip checkpoint, ${members.toLocaleString('en')} members (${(
        size / MB
      ).toFixed(1)} MB)`,
      seconds,
      throughput: `${Math.round(members / seconds).toLocaleString(
        'en',
      )} members/s`,
      bytesRead,
      inputBytes: size,
      findings: result.findings.length,
      cpuSeconds,
      rssBeforeMb,
      note: [
        peer &&
          `picklescan ${(peer * 1000).toFixed(0)} ms (${(
            peer / seconds
          ).toFixed(1)}× slower)`,
        listing !== undefined &&
          `Python zipfile namelist() alone: ${(listing * 1000).toFixed(0)} ms`,
      ]
        .filter(Boolean)
        .join('; '),
    };
  },

  async 'python-tree'(work, files = 2000) {
    return pythonTree(work, files, false);
  },

  /** The same tree with non-ASCII comments in every module: the NFKC identifier pass runs on each. */
  async 'python-tree-unicode'(work, files = 2000) {
    return pythonTree(work, files, true);
  },
};

async function pythonTree(work: string, files: number, nonAscii: boolean) {
  const dir = join(work, 'src');
  const lines = await writePythonTree(dir, files, nonAscii);
  const { result, seconds, cpuSeconds, rssBeforeMb } = await timedScan(dir);
  return {
    input: `${files.toLocaleString('en')} Python modules${
      nonAscii ? ' with non-ASCII comments' : ''
    }, ${lines.toLocaleString('en')} lines`,
    seconds,
    cpuSeconds,
    rssBeforeMb,
    throughput: `${Math.round(lines / seconds).toLocaleString('en')} lines/s`,
    findings: result.findings.length,
  };
}

async function runCase(name: string, scale?: number): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), `mlgov-bench-${name}-`));
  try {
    const outcome = await CASES[name](work, scale);
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(JSON.stringify({ case: name, scale, peakRssMb, ...outcome }));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function runChild(
  name: string,
  scale?: number,
  env?: NodeJS.ProcessEnv,
): CaseResult | undefined {
  const child = spawnSync(
    process.execPath,
    [
      join(__dirname, 'run.js'),
      'scanner',
      name,
      ...(scale === undefined ? [] : [String(scale)]),
    ],
    { encoding: 'utf8', env: { ...process.env, ...env } },
  );
  const line = child.stdout.trim().split('\n').pop();
  if (child.status !== 0 || !line) {
    console.error(`${name} failed:\n${child.stderr}`);
    return undefined;
  }
  return JSON.parse(line);
}

function printTable(rows: CaseResult[]): void {
  console.log(
    '| case | input | time | CPU | throughput | bytes read | peak RSS (before scan) | findings | note |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const read =
      r.bytesRead === undefined ? '' : `${(r.bytesRead / 1024).toFixed(1)} KiB`;
    console.log(
      `| ${r.case} | ${r.input} | ${(r.seconds * 1000).toFixed(0)} ms | ${
        r.cpuSeconds === undefined
          ? ''
          : `${(r.cpuSeconds * 1000).toFixed(0)} ms`
      } | ${r.throughput ?? ''} | ${read} | ${r.peakRssMb} MB${
        r.rssBeforeMb === undefined ? '' : ` (${r.rssBeforeMb} MB)`
      } | ${r.findings} | ${r.note ?? ''} |`,
    );
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Before/after in one run: the sources named by MLGOV_BENCH_BEFORE (an earlier commit's
 * packages/scanner/src/index.ts) and this checkout's, alternated three times on the same case;
 * medians of wall time, CPU time and peak RSS, and after/before ratios.
 */
function compare(name: string, scale?: number): void {
  const before = process.env.MLGOV_BENCH_BEFORE;
  if (!before)
    throw new Error('MLGOV_BENCH_BEFORE names the earlier scanner sources');
  const runs: Record<'before' | 'after', CaseResult[]> = {
    before: [],
    after: [],
  };
  for (let round = 0; round < 3; round++) {
    const old = runChild(name, scale, {
      MLGOV_BENCH_SCANNER: before,
      MLGOV_BENCH_PICKLESCAN: '',
    });
    const now = runChild(name, scale, { MLGOV_BENCH_PICKLESCAN: '' });
    if (old) runs.before.push(old);
    if (now) runs.after.push(now);
  }
  console.log(
    '| case | input | version | wall (median of 3) | CPU | peak RSS |',
  );
  console.log('|---|---|---|---|---|---|');
  const figures = (rows: CaseResult[]) => ({
    wall: median(rows.map(r => r.seconds)),
    cpu: median(rows.map(r => r.cpuSeconds ?? NaN)),
    rss: median(rows.map(r => r.peakRssMb)),
  });
  const b = figures(runs.before);
  const a = figures(runs.after);
  for (const [label, f] of [
    ['before', b],
    ['after', a],
  ] as const)
    console.log(
      `| ${name} | ${runs.after[0]?.input ?? ''} | ${label} | ${(
        f.wall * 1000
      ).toFixed(0)} ms | ${(f.cpu * 1000).toFixed(0)} ms | ${f.rss} MB |`,
    );
  console.log(
    `| ${name} | | after / before | ${(a.wall / b.wall).toFixed(2)} | ${(
      a.cpu / b.cpu
    ).toFixed(2)} | ${(a.rss / b.rss).toFixed(2)} |`,
  );
}

/**
 *   run.js scanner compare CASE [SCALE]  before/after (MLGOV_BENCH_BEFORE) alternated, medians
 *   run.js scanner                  every case once, one process each, as a Markdown table
 *   run.js scanner CASE [SCALE]     one case (optionally at one scale), one JSON line
 *   run.js scanner scaling [CASE]   the scaling series of SCALES (or of one case), as a table
 */
export async function main(args: string[]): Promise<void> {
  if (args[0] === 'write-members') {
    await writeManyMemberCheckpoint(args[1], Number(args[2]));
    return;
  }
  if (args[0] === 'compare') {
    compare(args[1], args[2] === undefined ? undefined : Number(args[2]));
    return;
  }
  if (args[0] === 'scaling') {
    const names = args[1] ? [args[1]] : Object.keys(SCALES);
    const rows: CaseResult[] = [];
    for (const name of names)
      for (const scale of SCALES[name] ?? []) {
        const row = runChild(name, scale);
        if (row) rows.push(row);
      }
    printTable(rows);
    return;
  }
  if (args[0]) {
    if (!CASES[args[0]])
      throw new Error(
        `unknown case ${args[0]}; cases: ${Object.keys(CASES).join(', ')}`,
      );
    await runCase(args[0], args[1] === undefined ? undefined : Number(args[1]));
    return;
  }
  const rows: CaseResult[] = [];
  for (const name of Object.keys(CASES)) {
    const row = runChild(name);
    if (row) rows.push(row);
  }
  printTable(rows);
}
