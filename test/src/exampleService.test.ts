import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createScanner,
  evaluatePolicy,
  parsePolicy,
  RULES,
  scanOptionsFromPolicy,
} from '@ml-governance/scanner';

/**
 * examples/services/fraud-batch-scoring is the reference service that exercises every dependency,
 * licence and source rule, so the portal's example catalog shows each of them. This keeps it honest.
 */
const SERVICE = join(
  __dirname,
  '..',
  '..',
  'examples',
  'services',
  'fraud-batch-scoring',
);

/** Rules the example cannot show without something outside the repository. */
const NOT_EXERCISED: Record<string, string> = {
  'VULN-KNOWN':
    'needs an OSV database (online API or an export); covered by the scanner tests with msw',
  'VULN-MALICIOUS-PACKAGE': 'needs an OSV database',
  'VULN-LOOKUP-FAILED': 'needs OSV enabled and unreachable',
  'SOURCE-PARSE-ERROR':
    'tree-sitter recovers from syntax errors; only unreadable files trigger it',
};

describe('the fraud-batch-scoring example service', () => {
  it('exercises every dependency, licence and source rule, and blocks', async () => {
    const policy = parsePolicy(
      readFileSync(join(SERVICE, '.mlgov', 'policy.yaml'), 'utf8'),
    );
    const scanner = createScanner(scanOptionsFromPolicy(policy));
    const result = await scanner.scanPath(SERVICE);

    const seen = new Set(result.findings.map(f => f.ruleId));
    // Notebook and secret rules are shown by the fraud-research notebooks example (examples/notebooks).
    const expected = RULES.filter(r =>
      ['dependency', 'vulnerability', 'licence', 'source'].includes(r.category),
    )
      .filter(r => !r.id.startsWith('NOTEBOOK-') && !r.id.startsWith('SECRET-'))
      .map(r => r.id)
      .filter(id => !(id in NOT_EXERCISED));
    expect(expected.filter(id => !seen.has(id))).toEqual([]);
    expect(evaluatePolicy(result, policy, { now: new Date() }).decision).toBe(
      'BLOCK',
    );
  });
});

describe('the notebook and dataset examples', () => {
  const scanner = createScanner();
  const outcome = async (path: string) => {
    const result = await scanner.scanPath(
      join(__dirname, '..', '..', 'examples', path),
    );
    return {
      result,
      decision: evaluatePolicy(result, parsePolicy('apiVersion: mlgov/v1\n'), {
        now: new Date(),
      }).decision,
    };
  };
  const blockingRules = (
    result: Awaited<ReturnType<typeof outcome>>['result'],
    file: string,
  ) =>
    new Set(
      result.findings
        .filter(
          f =>
            f.location.path === file &&
            ['critical', 'high'].includes(f.severity),
        )
        .map(f => f.ruleId),
    );

  it('blocks the research notebook for its shell pipe, off-index install, unpickling and kernel command; not the baseline', async () => {
    const { result, decision } = await outcome('notebooks/fraud-research');
    expect(decision).toBe('BLOCK');
    expect(
      [...blockingRules(result, 'feature-exploration.ipynb')].sort(),
    ).toEqual(
      expect.arrayContaining([
        'NOTEBOOK-KERNEL-COMMAND',
        'NOTEBOOK-PIPE-TO-SHELL',
        'NOTEBOOK-RUNTIME-INSTALL',
        'SOURCE-PICKLE-LOAD',
      ]),
    );
    expect(blockingRules(result, 'baseline.ipynb').size).toBe(0);
  });

  it('blocks the poisoned tickets export for active content and prompt injection; the reviews and chats pass', async () => {
    const { result, decision } = await outcome('datasets/support-chats');
    expect(decision).toBe('BLOCK');
    expect([...blockingRules(result, 'tickets-2026-11.csv')]).toEqual(
      expect.arrayContaining(['DATA-ACTIVE-CONTENT', 'DATA-PROMPT-INJECTION']),
    );
    expect(blockingRules(result, 'reviews.csv').size).toBe(0);
    expect(blockingRules(result, 'chats.jsonl').size).toBe(0);
  });

  it('blocks the feature-store export for the pickle in its byte column and its schema drift; the Avro events pass', async () => {
    const { result, decision } = await outcome('datasets/feature-store');
    expect(decision).toBe('BLOCK');
    expect([...blockingRules(result, 'features.parquet')].sort()).toEqual([
      'DATA-EMBEDDED-PAYLOAD',
      'DATA-SCHEMA-DRIFT',
      'PICKLE-EXEC',
    ]);
    expect(
      result.findings.find(f => f.ruleId === 'PICKLE-EXEC')?.location.entry,
    ).toEqual(['state[row 3]']);
    expect(
      result.findings.filter(f => f.location.path === 'events.avro'),
    ).toEqual([]);
  });
});
