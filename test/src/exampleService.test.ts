import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createScanner, evaluatePolicy, parsePolicy, RULES, scanOptionsFromPolicy } from '@ml-governance/scanner';

/**
 * examples/services/fraud-batch-scoring is the reference service that exercises every dependency,
 * licence and source rule, so the portal's example catalog shows each of them. This keeps it honest.
 */
const SERVICE = join(__dirname, '..', '..', 'examples', 'services', 'fraud-batch-scoring');

/** Rules the example cannot show without something outside the repository. */
const NOT_EXERCISED: Record<string, string> = {
  'VULN-KNOWN': 'needs an OSV database (online API or an export); covered by the scanner tests with msw',
  'VULN-MALICIOUS-PACKAGE': 'needs an OSV database',
  'VULN-LOOKUP-FAILED': 'needs OSV enabled and unreachable',
  'SOURCE-PARSE-ERROR': 'tree-sitter recovers from syntax errors; only unreadable files trigger it',
};

describe('the fraud-batch-scoring example service', () => {
  it('exercises every dependency, licence and source rule, and blocks', async () => {
    const policy = parsePolicy(readFileSync(join(SERVICE, '.mlgov', 'policy.yaml'), 'utf8'));
    const scanner = createScanner(scanOptionsFromPolicy(policy));
    const result = await scanner.scanPath(SERVICE);

    const seen = new Set(result.findings.map(f => f.ruleId));
    const expected = RULES.filter(r => ['dependency', 'vulnerability', 'licence', 'source'].includes(r.category))
      .map(r => r.id)
      .filter(id => !(id in NOT_EXERCISED));
    expect(expected.filter(id => !seen.has(id))).toEqual([]);
    expect(evaluatePolicy(result, policy, { now: new Date() }).decision).toBe('BLOCK');
  });
});
