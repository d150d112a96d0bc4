import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import {
  describeFailures,
  fuzzScanner,
  loadFixtureCorpus,
} from '../packages/scanner/src/fuzz/fuzzScanner';

/**
 * The long mutation-fuzz run over the scanner's fixtures (the jest test runs a CI-sized slice).
 *   node bench/run.js fuzz [--seed N] [--iterations N] [--minutes N] [--iteration I]
 * Without --seed a fresh seed is drawn and printed first, so any run can be replayed.
 */
export async function main(args: string[]): Promise<void> {
  const option = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 && args[at + 1] !== undefined
      ? Number(args[at + 1])
      : undefined;
  };
  const seed = option('seed') ?? randomInt(0, 2 ** 31);
  const one = option('iteration');
  const minutes = option('minutes') ?? 10;
  console.log(
    `fuzz seed ${seed}${one === undefined ? '' : `, iteration ${one}`}`,
  );
  const report = await fuzzScanner({
    seed,
    corpus: loadFixtureCorpus(
      join(__dirname, '..', 'packages', 'scanner', 'src'),
    ),
    firstIteration: one ?? 0,
    iterations: one === undefined ? option('iterations') ?? 1_000_000 : 1,
    timeBudgetMs: minutes * 60_000,
    perInputTimeoutMs: 10_000,
    cliEvery: one === undefined ? 25 : 1,
  });
  const { failures, ...summary } = report;
  console.log(
    JSON.stringify({ ...summary, failures: failures.length }, null, 2),
  );
  if (failures.length > 0) {
    console.error(describeFailures(report));
    process.exitCode = 1;
  }
}
