// Dataset, notebook and secret-search throughput.   node bench/run.js datasets [size-MB [formats…]]
// Writes a dataset of the size (default 1024 MB) in CSV, JSON Lines, Parquet and Avro under the OS
// temp dir, scans each sampled and in full, and compares with `cat` of the same file (the I/O floor,
// page cache warm); then notebooks per second and the secret detector on 200k lines of source.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '@ml-governance/scanner';
import { detectSecrets } from '../packages/scanner/src/secrets/detectSecrets';
import {
  sourceLines,
  writeAvroFile,
  writeCsv,
  writeJsonl,
  writeNotebooks,
  writeParquetFile,
} from './datasetInputs';

const MB = 1024 ** 2;
const seconds = (started: bigint) =>
  Number(process.hrtime.bigint() - started) / 1e9;

function catSeconds(path: string): number {
  execFileSync('cat', [path], { stdio: ['ignore', 'ignore', 'inherit'] }); // warm the cache
  const started = process.hrtime.bigint();
  execFileSync('sh', ['-c', `cat "${path}" > /dev/null`]);
  return seconds(started);
}

async function scanOnce(path: string, mode: 'sample' | 'full') {
  const scanner = createScanner({
    limits: { fileTimeoutMs: 3_600_000 },
    readerOptions: { datasets: { mode } },
  });
  const started = process.hrtime.bigint();
  const result = await scanner.scanPath(path);
  return {
    seconds: seconds(started),
    bytesRead: result.files.reduce((sum, f) => sum + f.bytesRead, 0),
    findings: result.findings.map(f => f.ruleId),
  };
}

export async function main(args: string[]): Promise<void> {
  const sizeMb = Number(args[0] ?? 1024);
  const work = await mkdtemp(join(tmpdir(), 'mlgov-bench-datasets-'));
  try {
    console.log(
      `| format | file | rows | mode | bytes read | seconds | MB/s read | × cat | findings |`,
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    const writers = {
      csv: writeCsv,
      jsonl: writeJsonl,
      parquet: writeParquetFile,
      avro: writeAvroFile,
    };
    const only = args.slice(1);
    for (const [format, write] of Object.entries(writers)) {
      if (only.length > 0 && !only.includes(format)) continue;
      const path = join(work, `reviews.${format}`);
      const generated = process.hrtime.bigint();
      const rows = await write(path, sizeMb * MB);
      const size = (await stat(path)).size;
      console.error(
        `${format}: ${(size / MB).toFixed(0)} MB written in ${seconds(
          generated,
        ).toFixed(1)} s`,
      );
      const floor = catSeconds(path);
      for (const mode of ['sample', 'full'] as const) {
        const run = await scanOnce(path, mode);
        const sampled = run.findings.filter(id => id !== 'DATA-SAMPLED');
        console.log(
          `| ${format} | ${(size / MB).toFixed(0)} MB | ${rows.toLocaleString(
            'en-US',
          )} | ${mode} | ${(run.bytesRead / MB).toFixed(
            1,
          )} MB | ${run.seconds.toFixed(2)} | ${(
            run.bytesRead /
            MB /
            run.seconds
          ).toFixed(0)} | ${(run.seconds / floor).toFixed(1)} | ${
            sampled.length
          }${run.findings.includes('DATA-SAMPLED') ? ' + DATA-SAMPLED' : ''} |`,
        );
      }
      console.log(
        `|  |  |  | cat | ${(size / MB).toFixed(0)} MB | ${floor.toFixed(
          2,
        )} | ${(size / MB / floor).toFixed(0)} | 1.0 | |`,
      );
      await rm(path);
    }

    const notebooks = join(work, 'notebooks');
    const count = 2000;
    await writeNotebooks(notebooks, count);
    const started = process.hrtime.bigint();
    const result = await createScanner().scanPath(notebooks);
    const elapsed = seconds(started);
    const started2 = process.hrtime.bigint();
    execFileSync('sh', ['-c', `cat "${notebooks}"/*.ipynb > /dev/null`]);
    const catFloor = seconds(started2);
    console.log(
      `\nnotebooks: ${count} in ${elapsed.toFixed(2)} s = ${(
        count / elapsed
      ).toFixed(0)} notebooks/s (cat of the same files ${catFloor.toFixed(
        2,
      )} s); ${result.findings.length} findings`,
    );

    const lines = sourceLines(200_000);
    const text = lines.join('\n');
    const t0 = process.hrtime.bigint();
    const matches = detectSecrets(text);
    const secretSeconds = seconds(t0);
    const sourcePath = join(work, 'source.py');
    await import('node:fs/promises').then(fs => fs.writeFile(sourcePath, text));
    const t1 = process.hrtime.bigint();
    execFileSync('sh', [
      '-c',
      `grep -cE 'AKIA|hf_|sk-|ghp_|xox|-----BEGIN|secret|token|passw' "${sourcePath}" > /dev/null || true`,
    ]);
    const grepSeconds = seconds(t1);
    console.log(
      `secret detector: 200,000 lines (${(text.length / MB).toFixed(
        1,
      )} MB) in ${secretSeconds.toFixed(3)} s = ${Math.round(
        200_000 / secretSeconds,
      ).toLocaleString(
        'en-US',
      )} lines/s; grep -E of the prefilter words ${grepSeconds.toFixed(
        3,
      )} s (×${(secretSeconds / grepSeconds).toFixed(1)}); ${
        matches.length
      } matches`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
