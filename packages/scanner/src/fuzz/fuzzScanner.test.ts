import { join } from 'node:path';
import {
  describeFailures,
  fuzzScanner,
  livePayload,
  loadFixtureCorpus,
} from './fuzzScanner';
import { mutate } from './mutations';

/**
 * The CI-sized fuzz run: a fixed seed (override with FUZZ_SEED, replay one mutant with
 * FUZZ_ITERATION), thousands of mutants, under a minute. `node bench/run.js fuzz` runs longer.
 */
const SOURCES = join(__dirname, '..');
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const ONE =
  process.env.FUZZ_ITERATION === undefined
    ? undefined
    : Number(process.env.FUZZ_ITERATION);

describe('mutation fuzzing of the engine and the CLI over the fixtures', () => {
  it('builds the same mutant from the same seed and iteration', () => {
    const corpus = loadFixtureCorpus(SOURCES);
    expect(corpus.length).toBeGreaterThan(40);
    expect(mutate(corpus, 7, 123)).toEqual(mutate(corpus, 7, 123));
    expect(mutate(corpus, 7, 123).bytes).not.toEqual(
      mutate(corpus, 8, 123).bytes,
    );
  });

  it('recognises a live pickle import in the malicious fixtures, not in the benign ones', () => {
    const corpus = loadFixtureCorpus(SOURCES);
    const named = (name: string) => corpus.find(c => c.name === name)!.bytes;
    expect(livePayload(named('os_system_p0.pkl'))).toBe('cos\nsystem\n');
    expect(livePayload(named('os_system_p4.pkl'))).toBeDefined();
    expect(livePayload(named('sk_logreg_p2.pickle'))).toBeUndefined();
    expect(livePayload(named('torch_full_module.data.pkl'))).toBeUndefined();
    expect(
      corpus.filter(c => livePayload(c.bytes)).length,
    ).toBeGreaterThanOrEqual(15);
  });

  it('never crashes, hangs, exits 3 or passes a mutant that still carries a payload', async () => {
    const replay = ONE !== undefined;
    const report = await fuzzScanner({
      seed: SEED,
      corpus: loadFixtureCorpus(SOURCES),
      firstIteration: ONE ?? 0,
      iterations: replay ? 1 : 4000,
      timeBudgetMs: 45_000,
      perInputTimeoutMs: 5_000,
      cliEvery: replay ? 1 : 40,
    });
    if (report.failures.length > 0) {
      throw new Error(
        `fuzz seed ${report.seed}: ${
          report.failures.length
        } failures\n${describeFailures(report)}`,
      );
    }
    // The run did real work: enough mutants, some through the CLI, some still carrying payloads.
    const minimum = replay
      ? { mutants: 1, cliRuns: 1, payloadMutants: 0 }
      : { mutants: 1000, cliRuns: 11, payloadMutants: 201 };
    expect(report.mutants).toBeGreaterThanOrEqual(minimum.mutants);
    expect(report.cliRuns).toBeGreaterThanOrEqual(minimum.cliRuns);
    expect(report.payloadMutants).toBeGreaterThanOrEqual(
      minimum.payloadMutants,
    );
  }, 60_000);
});
