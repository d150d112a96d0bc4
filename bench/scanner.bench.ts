import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '@ml-governance/scanner';
import {
  writeLargeUvProject,
  writePythonTree,
  writeSmallArtifactTree,
  writeSparseGguf,
  writeSparseKerasH5,
  writeSparseOnnx,
  writeSparseSafetensors,
  writeSparseTorchCheckpoint,
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

type Case = (work: string) => Promise<Omit<CaseResult, 'case' | 'peakRssMb'>>;

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
  /** Opcode-dense pickle (2 M small tuples), the shape that takes established scanners minutes. */
  async 'pickle-walk'(work) {
    const py = python();
    if (!py) throw new Error('python3 is needed to generate the dense pickle');
    const file = join(work, 'dense.pkl');
    execFileSync(py, [
      '-c',
      `import pickle; open(${JSON.stringify(
        file,
      )}, 'wb').write(pickle.dumps([(i, -i) for i in range(2_000_000)], protocol=4))`,
    ]);
    const size = (await stat(file)).size;
    const { result, seconds, bytesRead } = await timedScan(file);
    const genops = Number(
      execFileSync(py, [
        '-c',
        `import pickletools, time; d = open(${JSON.stringify(
          file,
        )}, 'rb').read(); t = time.perf_counter(); n = sum(1 for _ in pickletools.genops(d)); print(time.perf_counter() - t)`,
      ]).toString(),
    );
    return {
      input: `${(size / MB).toFixed(1)} MB protocol-4 pickle, 2 M tuples`,
      seconds,
      throughput: `${(size / MB / seconds).toFixed(1)} MB/s`,
      bytesRead,
      inputBytes: size,
      findings: result.findings.length,
      note: `CPython pickletools.genops alone: ${genops.toFixed(
        2,
      )} s (mlgov full scan is ${(genops / seconds).toFixed(1)}× faster)`,
    };
  },

  /** A 2 GiB PyTorch checkpoint: only the zip directory and data.pkl should be read. */
  'torch-2gb': sparseFileCase(
    'big.pt',
    path => writeSparseTorchCheckpoint(path, 2 * GB),
    size => `${(size / GB).toFixed(2)} GiB PyTorch zip checkpoint (sparse)`,
  ),

  /** Thousands of small artifacts: per-file overhead of walking, sniffing and dispatching. */
  async 'small-tree'(work) {
    const dir = join(work, 'tree');
    const count = 5000;
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

  async 'uv-lock-5000'(work) {
    const dir = join(work, 'uvproject');
    await writeLargeUvProject(dir, 5000);
    const size = (await stat(join(dir, 'uv.lock'))).size;
    const { result, seconds } = await timedScan(dir);
    return {
      input: `uv.lock with 5,000 packages (${(size / MB).toFixed(1)} MB)`,
      seconds,
      throughput: `${(5000 / seconds).toFixed(0)} packages/s`,
      findings: result.findings.length,
    };
  },

  async 'python-tree'(work) {
    const dir = join(work, 'src');
    const lines = await writePythonTree(dir, 2000);
    const { result, seconds } = await timedScan(dir);
    return {
      input: `2,000 Python modules, ${lines.toLocaleString('en')} lines`,
      seconds,
      throughput: `${Math.round(lines / seconds).toLocaleString('en')} lines/s`,
      findings: result.findings.length,
    };
  },
};

async function runCase(name: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), `mlgov-bench-${name}-`));
  try {
    const outcome = await CASES[name](work);
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(JSON.stringify({ case: name, peakRssMb, ...outcome }));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function main(args: string[]): Promise<void> {
  if (args[0]) {
    if (!CASES[args[0]])
      throw new Error(
        `unknown case ${args[0]}; cases: ${Object.keys(CASES).join(', ')}`,
      );
    await runCase(args[0]);
    return;
  }
  const rows: CaseResult[] = [];
  for (const name of Object.keys(CASES)) {
    const child = spawnSync(
      process.execPath,
      [join(__dirname, 'run.js'), 'scanner', name],
      { encoding: 'utf8' },
    );
    const line = child.stdout.trim().split('\n').pop();
    if (child.status !== 0 || !line) {
      console.error(`${name} failed:\n${child.stderr}`);
      continue;
    }
    rows.push(JSON.parse(line));
  }
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
