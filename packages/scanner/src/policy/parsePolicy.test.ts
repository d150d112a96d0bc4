import { scanOptionsFromPolicy } from './scanOptions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy, PolicyError } from './parsePolicy';
import { DEFAULT_POLICY } from './defaults';
import { parseExpiry } from './expiry';

function issuesOf(text: string): string[] {
  try {
    parsePolicy(text, 'p.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).issues.map(
      issue => `${issue.line}: ${issue.key}: ${issue.message}`,
    );
  }
  throw new Error('expected the policy to be rejected');
}

describe('parsePolicy', () => {
  it('reads every key into the typed policy', () => {
    const policy = parsePolicy(`
apiVersion: mlgov/v1
fail_on: CRITICAL
ticket_on: low
enforce_safetensors: true
rules:
  SCAN-UNSUPPORTED: { severity: high }
allow:
  - rule: SCAN-LIMIT
    path: "models/big/**"
    owner: group:default/ml
    justification: reviewed by hand
    expires: 2026-12-31
ignore_paths: ["docs/**"]
limits: { maxDepth: 3, maxCompressionRatio: 150.5 }
trusted_globals: [our.Scaler]
hardened_modules: [our.model_utils]
pinned_hashes:
  models/a.safetensors: SHA256:${'AB'.repeat(32)}
licences: { deny: [AGPL-3.0-only] }
osv: { mode: offline, database: osv.zip }
`);
    expect(policy).toEqual({
      apiVersion: 'mlgov/v1',
      failOn: 'critical',
      ticketOn: 'low',
      enforceSafetensors: true,
      rules: { 'SCAN-UNSUPPORTED': { severity: 'high' } },
      allow: [
        {
          rule: 'SCAN-LIMIT',
          path: 'models/big/**',
          owner: 'group:default/ml',
          justification: 'reviewed by hand',
          expires: '2026-12-31',
          line: 9,
        },
      ],
      ignorePaths: ['docs/**'],
      limits: { maxDepth: 3, maxCompressionRatio: 150.5 },
      trustedGlobals: ['our.Scaler'],
      hardenedModules: ['our.model_utils'],
      pinnedHashes: { 'models/a.safetensors': 'ab'.repeat(32) },
      licences: { deny: ['AGPL-3.0-only'] },
      osv: { mode: 'offline', database: 'osv.zip' },
    });
  });

  it('fills defaults for keys that are left out', () => {
    expect(parsePolicy('apiVersion: mlgov/v1\n')).toEqual(DEFAULT_POLICY);
  });

  it('reports every problem at once, each with its key and line', () => {
    const issues = issuesOf(`apiVersion: mlgov/v1
fail_on: severe
rules:
  NOT-A-RULE: { severity: low }
  SCAN-ERROR: { enabled: false }
allow:
  - rule: SCAN-LIMIT
    owner: me
    expires: 2026-02-30
  - owner: me
    justification: because
    expires: 2027-01-01
limits: { maxDepth: -1, maxFiels: 3 }
licenses: {}
`);
    expect(issues).toEqual([
      '2: fail_on: "severe" is not a severity; expected one of critical, high, medium, low, info',
      '4: rules.NOT-A-RULE: unknown rule ID; `mlgov rules` lists them',
      expect.stringMatching(
        /^5: rules.SCAN-ERROR.enabled: scan rules cannot be disabled/,
      ),
      '7: allow[0].justification: required: every exception has an owner, a justification and an expiry date',
      // A bad value is reported on its own line; a missing key on the line of its entry.
      '9: allow[0].expires: "2026-02-30" is not an ISO date (YYYY-MM-DD) or timestamp',
      '10: allow[1]: needs at least one of rule, path, symbol, package, fingerprint: an entry cannot allow everything',
      '13: limits.maxDepth: expected a positive integer',
      expect.stringMatching(
        /^13: limits.maxFiels: unknown key; known keys: maxPickleBytes, /,
      ),
      '14: licenses: unknown key; did you mean "licences"?',
    ]);
  });

  it('requires apiVersion mlgov/v1 and a mapping', () => {
    expect(issuesOf('fail_on: high\n')).toEqual([
      expect.stringMatching(/apiVersion: required/),
    ]);
    expect(issuesOf('apiVersion: mlgov/v2\n')).toEqual([
      expect.stringMatching(/"mlgov\/v2" is not supported/),
    ]);
    expect(issuesOf('- a\n- b\n')).toEqual([
      expect.stringMatching(/a policy is a YAML mapping/),
    ]);
  });

  it('rejects ticket_on above fail_on', () => {
    expect(
      issuesOf('apiVersion: mlgov/v1\nfail_on: medium\nticket_on: high\n'),
    ).toEqual([
      '3: ticket_on: "high" is more severe than fail_on "medium"; ticket_on must be at or below fail_on',
    ]);
  });

  it('turns YAML syntax errors and duplicate keys into located errors', () => {
    expect(
      issuesOf('apiVersion: mlgov/v1\nfail_on: high\nfail_on: low\n'),
    ).toEqual([expect.stringMatching(/^3: : Map keys must be unique/)]);
    expect(issuesOf('apiVersion: mlgov/v1\nrules: [unclosed\n')[0]).toMatch(
      /^\d+: : /,
    );
  });

  it('stops an alias bomb in opaque sections', () => {
    const bomb = [
      'apiVersion: mlgov/v1',
      'osv:',
      '  a: &a [x, x, x, x, x, x, x, x, x]',
    ];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(
          97 + i,
        )} [*${String.fromCharCode(96 + i)}, *${String.fromCharCode(
          96 + i,
        )}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(
          96 + i,
        )}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(
          96 + i,
        )}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(
          96 + i,
        )}, *${String.fromCharCode(96 + i)}]`,
      );
    expect(() => parsePolicy(bomb.join('\n'))).toThrow(/alias/i);
  });

  it('reads digests and fingerprints that YAML would take for numbers as written', () => {
    const digits = '1'.repeat(32);
    const policy = parsePolicy(
      `apiVersion: mlgov/v1\npinned_hashes: { m.bin: ${'0'.repeat(
        64,
      )} }\nallow:\n  - { fingerprint: ${digits}, owner: me, justification: ok, expires: 2027-01-01 }\n`,
    );
    expect(policy.pinnedHashes).toEqual({ 'm.bin': '0'.repeat(64) });
    expect(policy.allow[0].fingerprint).toBe(digits);
  });

  it('reads the dataset mode and pinned schemas and hands them to the readers', () => {
    const policy = parsePolicy(
      'apiVersion: mlgov/v1\ndatasets:\n  mode: full\n  schemas: { data/train.parquet: schemas/train.json }\n',
    );
    expect(scanOptionsFromPolicy(policy).readerOptions?.datasets).toEqual({
      mode: 'full',
      schemas: { 'data/train.parquet': 'schemas/train.json' },
    });
    expect(() =>
      parsePolicy('apiVersion: mlgov/v1\ndatasets: { mode: everything }\n'),
    ).toThrow(/datasets\.mode/);
  });

  it('names the source file in the error message', () => {
    expect(() =>
      parsePolicy('apiVersion: mlgov/v1\nfail_on: 3\n', '.mlgov/policy.yaml'),
    ).toThrow(
      'Invalid policy .mlgov/policy.yaml (1 problem):\n  .mlgov/policy.yaml:2: fail_on: expected a non-empty string',
    );
  });

  it('treats a bare expiry date as inclusive of that whole day (UTC)', () => {
    expect(parseExpiry('2026-03-31')?.toISOString()).toBe(
      '2026-04-01T00:00:00.000Z',
    );
    expect(parseExpiry('2026-03-31T10:00:00Z')?.toISOString()).toBe(
      '2026-03-31T10:00:00.000Z',
    );
    expect(parseExpiry('31/03/2026')).toBeUndefined();
  });

  it('accepts the policy example in docs/ci.md', () => {
    const doc = readFileSync(
      join(__dirname, '..', '..', '..', '..', 'docs', 'ci.md'),
      'utf8',
    );
    const example = /## Policy reference[\s\S]*?```yaml\n([\s\S]*?)```/.exec(
      doc,
    )?.[1];
    expect(example).toBeDefined();
    expect(parsePolicy(example!, 'docs/ci.md')).toMatchObject({
      rules: { 'DEP-UNPINNED': { severity: 'medium' } },
    });
  });

  it('ships example policies that parse, and a default.yaml equal to DEFAULT_POLICY', () => {
    const examples = join(__dirname, 'examples');
    expect(
      parsePolicy(readFileSync(join(examples, 'default.yaml'), 'utf8')),
    ).toEqual(DEFAULT_POLICY);
    const strict = parsePolicy(
      readFileSync(join(examples, 'strict.yaml'), 'utf8'),
    );
    expect(strict).toMatchObject({
      failOn: 'medium',
      ticketOn: 'low',
      enforceSafetensors: true,
    });
  });
});
