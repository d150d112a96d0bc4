import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '@ml-governance/scanner';
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
};

const GB = 1024 ** 3;
const MB = 1024 ** 2;

async function timedScan(path: string) {
  const scanner = createScanner();
  const started = process.hrtime.bigint();
  const result = await scanner.scanPath(path);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const bytesRead = result.files.reduce((sum, f) => sum + f.bytesRead, 0);
  return { result, seconds, bytesRead };
}

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
    const readStarted = process.hrtime.bigint();
    await readFile(file);
    const readSeconds = Number(process.hrtime.bigint() - readStarted) / 1e9;
    const { result, seconds, bytesRead } = await timedScan(file);
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
    const rate = (s: number) => `${(size / 1e6 / s).toFixed(0)} MB/s`;
    return {
      input: `${(size / 1e6).toFixed(1)} MB protocol-4 pickle, ${(
        tuples / 1e6
      ).toFixed(1)} M tuples`,
      seconds,
      throughput: rate(seconds),
      bytesRead,
      inputBytes: size,
      findings: result.findings.length,
      note: `raw read ${rate(readSeconds)}${
        genops === undefined
          ? ''
          : `; CPython pickletools.genops ${rate(genops)} (${(
              genops / seconds
            ).toFixed(1)}× slower than the full scan)`
      }`,
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
    const { result, seconds, bytesRead } = await timedScan(dir);
    return {
      input: `${count} small files (pickle, npy, safetensors, text)`,
      seconds,
      throughput: `${(count / seconds).toFixed(0)} files/s`,
      bytesRead,
      findings: result.findings.length,
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
    const { result, seconds } = await timedScan(dir);
    return {
      input: `uv.lock with ${count.toLocaleString('en')} packages (${(
        size / MB
      ).toFixed(1)} MB)`,
      seconds,
      throughput: `${(count / seconds).toFixed(0)} packages/s`,
      findings: result.findings.length,
    };
  },

  /** A zip checkpoint with `members` small members: central-directory work per member. */
  async 'archive-members'(work, members = 100_000) {
    const file = join(work, 'many.pt');
    const size = await writeManyMemberCheckpoint(file, members);
    const { result, seconds, bytesRead } = await timedScan(file);
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
      note:
        listing === undefined
          ? undefined
          : `Python zipfile namelist() alone: ${(listing * 1000).toFixed(
              0,
            )} ms`,
    };
  },

  async 'python-tree'(work, files = 2000) {
    const dir = join(work, 'src');
    const lines = await writePythonTree(dir, files);
    const { result, seconds } = await timedScan(dir);
    return {
      input: `${files.toLocaleString(
        'en',
      )} Python modules, ${lines.toLocaleString('en')} lines`,
      seconds,
      throughput: `${Math.round(lines / seconds).toLocaleString('en')} lines/s`,
      findings: result.findings.length,
    };
  },
};

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

function runChild(name: string, scale?: number): CaseResult | undefined {
  const child = spawnSync(
    process.execPath,
    [
      join(__dirname, 'run.js'),
      'scanner',
      name,
      ...(scale === undefined ? [] : [String(scale)]),
    ],
    { encoding: 'utf8' },
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
    '| case | input | time | throughput | bytes read | peak RSS | findings | note |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const read =
      r.bytesRead === undefined ? '' : `${(r.bytesRead / 1024).toFixed(1)} KiB`;
    console.log(
      `| ${r.case} | ${r.input} | ${(r.seconds * 1000).toFixed(0)} ms | ${
        r.throughput ?? ''
      } | ${read} | ${r.peakRssMb} MB | ${r.findings} | ${r.note ?? ''} |`,
    );
  }
}

/**
 *   run.js scanner                  every case once, one process each, as a Markdown table
 *   run.js scanner CASE [SCALE]     one case (optionally at one scale), one JSON line
 *   run.js scanner scaling [CASE]   the scaling series of SCALES (or of one case), as a table
 */
export async function main(args: string[]): Promise<void> {
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
