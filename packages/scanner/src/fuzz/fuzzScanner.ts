import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main';
import { EXIT_CODES } from '../cli/exitCodes';
import { captureIo } from '../cli/testing';
import { createScanner } from '../createScanner';
import type { ScanResult } from '../model/finding';
import { DEFAULT_POLICY } from '../policy/defaults';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import type { ReleaseDecision } from '../policy/types';
import { mutate, type Corpus, type Mutant } from './mutations';

/** Fixtures above this size are left out: mutating them costs time and finds nothing new. */
const MAX_FIXTURE_BYTES = 64 * 1024;

/** Every file under a `__fixtures__` folder below `sourceRoot` (the scanner's `src`), in a stable order. */
export function loadFixtureCorpus(sourceRoot: string): Corpus[] {
  const corpus: Corpus[] = [];
  const walk = (dir: string, inFixtures: boolean) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const full = join(dir, entry.name);
      if (entry.isDirectory())
        walk(full, inFixtures || entry.name === '__fixtures__');
      else if (
        entry.isFile() &&
        inFixtures &&
        !/\.(ts|md)$/.test(entry.name) &&
        statSync(full).size <= MAX_FIXTURE_BYTES
      ) {
        corpus.push({ name: entry.name, bytes: readFileSync(full) });
      }
    }
  };
  walk(sourceRoot, false);
  return corpus;
}

/**
 * Byte patterns of a code-execution import in a pickle: a protocol 0-3 GLOBAL
 * (`c` module `\n` name `\n`) or a protocol 4+ STACK_GLOBAL over two short strings, for the
 * callables the malicious fixtures use.
 */
const MODULES =
  'os|posix|nt|builtins|__builtin__|subprocess|runpy|importlib|shutil|socket|webbrowser|pickle';
const CALLABLES =
  'system|popen|exec|eval|Popen|run_path|run_module|import_module|rmtree|create_connection|open|call|check_output|loads|dumps|getattr|__import__';
const LIVE_PAYLOAD = [
  new RegExp(`c(${MODULES})\n(${CALLABLES})\n`),
  new RegExp(
    `\x8c[\x01-\x20](${MODULES})\x94?\x8c[\x01-\x20](${CALLABLES})\x94?\x93`,
  ),
];

export function livePayload(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes).toString('latin1');
  for (const pattern of LIVE_PAYLOAD) {
    const match = pattern.exec(text);
    if (match) return match[0];
  }
  return undefined;
}

export interface FuzzOptions {
  seed: number;
  /** Upper bound on mutants. */
  iterations: number;
  /** Wall-clock cap for the whole run; the run stops early (and says so) when it is reached. */
  timeBudgetMs: number;
  /** One input taking longer than this is a hang. */
  perInputTimeoutMs: number;
  /** Every n-th mutant also goes through the CLI on disk (slower: temp files, reports). 0: never. */
  cliEvery: number;
  /** First iteration (to replay one mutant: `firstIteration: i, iterations: 1`). */
  firstIteration?: number;
  corpus: Corpus[];
}

export interface FuzzFailure {
  kind: 'exception' | 'timeout' | 'payload-passed' | 'cli-exit';
  seed: number;
  iteration: number;
  fixture: string;
  steps: string[];
  detail: string;
}

export interface FuzzReport {
  seed: number;
  mutants: number;
  cliRuns: number;
  payloadMutants: number;
  elapsedMs: number;
  slowestMs: number;
  stoppedByTime: boolean;
  decisions: Record<ReleaseDecision, number>;
  failures: FuzzFailure[];
}

class HangError extends Error {}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new HangError(`no result after ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Mutation fuzzing of the engine (every mutant through `scanBytes` with all readers) and of the
 * CLI (every `cliEvery`-th mutant scanned from disk with `mlgov scan --format json`). Asserts, per
 * mutant: no exception escapes, no input runs past `perInputTimeoutMs`, the CLI never exits with
 * an internal error (3) or a usage error (2), and a mutant still carrying a live pickle import is
 * never PASS under the default policy.
 *
 * A reader stuck in a synchronous loop blocks the event loop and so the timer too; the engine's
 * per-file deadline (`fileTimeoutMs`, set to the same budget) is what stops cooperative readers.
 */
export async function fuzzScanner(options: FuzzOptions): Promise<FuzzReport> {
  const corpus = options.corpus;
  const scanner = createScanner({
    limits: { fileTimeoutMs: options.perInputTimeoutMs },
  });
  const payloads = new Map<Corpus, string>();
  for (const fixture of corpus) {
    const payload = livePayload(fixture.bytes);
    if (payload) payloads.set(fixture, payload);
  }
  const started = Date.now();
  const first = options.firstIteration ?? 0;
  const report: FuzzReport = {
    seed: options.seed,
    mutants: 0,
    cliRuns: 0,
    payloadMutants: 0,
    elapsedMs: 0,
    slowestMs: 0,
    stoppedByTime: false,
    decisions: { PASS: 0, TICKET: 0, BLOCK: 0 },
    failures: [],
  };
  const now = new Date('2026-12-01T00:00:00Z');
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-fuzz-'));
  try {
    for (
      let iteration = first;
      iteration < first + options.iterations;
      iteration++
    ) {
      if (Date.now() - started > options.timeBudgetMs) {
        report.stoppedByTime = true;
        break;
      }
      const mutant = mutate(corpus, options.seed, iteration);
      const fail = (kind: FuzzFailure['kind'], detail: string) =>
        report.failures.push({
          kind,
          seed: options.seed,
          iteration,
          fixture: mutant.name,
          steps: mutant.steps,
          detail,
        });
      report.mutants++;

      const t0 = Date.now();
      let result: ScanResult | undefined;
      try {
        result = await withTimeout(
          scanner.scanBytes(mutant.bytes, mutant.name),
          options.perInputTimeoutMs,
        );
      } catch (error) {
        fail(
          error instanceof HangError ? 'timeout' : 'exception',
          (error as Error)?.stack ?? String(error),
        );
      }
      const took = Date.now() - t0;
      report.slowestMs = Math.max(report.slowestMs, took);
      if (result && took > options.perInputTimeoutMs)
        fail('timeout', `took ${took} ms`);
      if (result) {
        const { decision } = evaluatePolicy(result, DEFAULT_POLICY, { now });
        report.decisions[decision]++;
        // A payload counts where a loader would meet it: in a mutant of a fixture that carried it
        // (spliced into the middle of a TOML file, a pickle never starts, so nothing runs).
        const payload = payloads.get(mutant.base);
        const intact =
          payload !== undefined &&
          Buffer.from(mutant.bytes).toString('latin1').includes(payload);
        if (intact) report.payloadMutants++;
        if (intact && decision === 'PASS') {
          fail(
            'payload-passed',
            `still holds ${JSON.stringify(payload)}; findings: ${
              result.findings
                .map(f => `${f.ruleId}/${f.severity}`)
                .join(', ') || 'none'
            }`,
          );
        }
      }
      if (options.cliEvery > 0 && iteration % options.cliEvery === 0) {
        report.cliRuns++;
        await runCli(dir, mutant, options.perInputTimeoutMs * 2, fail);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  report.elapsedMs = Date.now() - started;
  return report;
}

async function runCli(
  dir: string,
  mutant: Mutant,
  timeoutMs: number,
  fail: (kind: FuzzFailure['kind'], detail: string) => void,
) {
  const target = await mkdtemp(join(dir, 'case-'));
  await writeFile(join(target, mutant.name), mutant.bytes);
  const { io, output } = captureIo(target);
  try {
    const code = await withTimeout(
      main(['scan', '.', '--format', 'json'], io),
      timeoutMs,
    );
    if (code === EXIT_CODES.INTERNAL || code === EXIT_CODES.USAGE) {
      fail('cli-exit', `exit code ${code}: ${output.stderr.slice(0, 500)}`);
    } else {
      JSON.parse(output.stdout); // the report must still be a whole JSON document
    }
  } catch (error) {
    fail(
      error instanceof HangError ? 'timeout' : 'cli-exit',
      (error as Error)?.stack ?? String(error),
    );
  } finally {
    await rm(target, { recursive: true, force: true });
  }
}

/** One line per failure, with what it takes to replay it. */
export function describeFailures(report: FuzzReport): string {
  return report.failures
    .slice(0, 20)
    .map(
      f =>
        `${f.kind} on ${f.fixture} (seed ${f.seed}, iteration ${
          f.iteration
        }; replay: FUZZ_SEED=${f.seed} FUZZ_ITERATION=${
          f.iteration
        }) after ${f.steps.join(' → ')}: ${f.detail
          .split('\n')
          .slice(0, 6)
          .join('\n    ')}`,
    )
    .join('\n');
}
