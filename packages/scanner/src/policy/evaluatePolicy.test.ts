import fc from 'fast-check';
import { evaluatePolicy } from './evaluatePolicy';
import { DEFAULT_POLICY } from './defaults';
import { parsePolicy, PolicyError } from './parsePolicy';
import type { Policy } from './types';
import { NOW, finding } from '../report/__fixtures__/sample';

const policy = (overrides: Partial<Policy> = {}): Policy => ({
  ...structuredClone(DEFAULT_POLICY),
  ...overrides,
});
const allow = {
  owner: 'group:default/ml',
  justification: 'reviewed',
  expires: '2026-12-31',
};

describe('evaluatePolicy', () => {
  it('passes a clean scan with no reasons', () => {
    const evaluation = evaluatePolicy({ findings: [] }, policy(), { now: NOW });
    expect(evaluation).toMatchObject({
      decision: 'PASS',
      reasons: [],
      warnings: [],
      counts: { high: 0 },
    });
  });

  it('blocks at fail_on, tickets at ticket_on, passes below', () => {
    const high = finding('SCAN-ERROR', { location: { path: 'a.pkl' } });
    const medium = finding('SCAN-ERROR', {
      location: { path: 'b.pkl' },
      severity: 'medium',
    });
    expect(
      evaluatePolicy({ findings: [high, medium] }, policy(), { now: NOW }),
    ).toMatchObject({
      decision: 'BLOCK',
      counts: { high: 1, medium: 1 },
      reasons: [
        'BLOCK: SCAN-ERROR Input could not be analysed — 1 finding in a.pkl (high is at or above fail_on high)',
        'TICKET: SCAN-ERROR Input could not be analysed — 1 finding in b.pkl (medium is at or above ticket_on medium)',
      ],
    });
    expect(
      evaluatePolicy({ findings: [high] }, policy({ failOn: 'critical' }), {
        now: NOW,
      }).decision,
    ).toBe('TICKET');
  });

  it('never lets unscannable input pass, even when the policy lowers its severity', () => {
    const unsupported = finding('SCAN-UNSUPPORTED', {
      location: { path: 'x.pt' },
    });
    const lowered = policy({
      rules: {
        'SCAN-UNSUPPORTED': { severity: 'info' },
        'SCAN-ERROR': { enabled: false },
      },
    });
    const evaluation = evaluatePolicy(
      { findings: [unsupported, finding('SCAN-ERROR')] },
      lowered,
      { now: NOW },
    );
    expect(
      evaluation.findings.map(f => [
        f.ruleId,
        f.severity,
        f.outcome,
        f.suppressed,
      ]),
    ).toEqual([
      ['SCAN-UNSUPPORTED', 'info', 'TICKET', undefined],
      ['SCAN-ERROR', 'high', 'BLOCK', undefined],
    ]);
    expect(evaluation.reasons[1]).toContain(
      'input that was not analysed never passes',
    );
    expect(
      evaluatePolicy(
        { findings: [unsupported] },
        policy({ failOn: 'critical', ticketOn: 'critical' }),
        { now: NOW },
      ).decision,
    ).toBe('TICKET');
  });

  it('keeps allowlisted findings in the output, marked, and out of the decision', () => {
    const target = finding('SCAN-LIMIT', {
      location: { path: 'models/big/ckpt.tar' },
    });
    const other = finding('SCAN-LIMIT', {
      location: { path: 'models/other.tar' },
    });
    const entry = { ...allow, rule: 'SCAN-LIMIT', path: 'models/big/**' };
    const evaluation = evaluatePolicy(
      { findings: [target, other] },
      policy({ allow: [entry] }),
      { now: NOW },
    );
    expect(evaluation.findings[0]).toMatchObject({
      suppressed: { kind: 'allowlist', entry },
      outcome: 'PASS',
    });
    expect(evaluation.findings[1].suppressed).toBeUndefined();
    expect(evaluation).toMatchObject({
      decision: 'BLOCK',
      suppressedCount: 1,
      counts: { high: 1 },
    });
  });

  it('matches allow entries by symbol (exact or module.*), package (PEP 503) and fingerprint', () => {
    const bySymbol = finding('SCAN-ERROR', {
      evidence: { symbol: 'ourlib.models.load' },
      key: 'a',
    });
    const byPackage = finding('SCAN-ERROR', {
      evidence: { package: 'Scikit_Learn' },
      key: 'b',
    });
    const byFingerprint = finding('SCAN-ERROR', { key: 'c' });
    const untouched = finding('SCAN-ERROR', {
      evidence: { symbol: 'ourlibrary.x' },
      key: 'd',
    });
    const evaluation = evaluatePolicy(
      { findings: [bySymbol, byPackage, byFingerprint, untouched] },
      policy({
        allow: [
          { ...allow, symbol: 'ourlib.*' },
          { ...allow, package: 'scikit-learn' },
          { ...allow, fingerprint: byFingerprint.fingerprint },
        ],
      }),
      { now: NOW },
    );
    expect(evaluation.findings.map(f => f.suppressed !== undefined)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('ignores an expired allow entry and warns about it', () => {
    const expired = {
      ...allow,
      rule: 'SCAN-ERROR',
      expires: '2026-11-24',
      line: 7,
    };
    const evaluation = evaluatePolicy(
      { findings: [finding('SCAN-ERROR')] },
      policy({ allow: [expired] }),
      { now: NOW },
    );
    expect(evaluation.decision).toBe('BLOCK');
    expect(evaluation.warnings).toEqual([
      'Allow entry at line 7 (rule SCAN-ERROR, owner group:default/ml) expired on 2026-11-24 and no longer applies: fix the findings or renew it with a new justification.',
    ]);
    // The expiry day itself is still covered.
    const lastDay = evaluatePolicy(
      { findings: [finding('SCAN-ERROR')] },
      policy({ allow: [{ ...expired, expires: '2026-11-25' }] }),
      { now: NOW },
    );
    expect(lastDay.decision).toBe('PASS');
  });

  it('applies portal acceptances by fingerprint or rule, and warns about expired ones', () => {
    const accepted = finding('SCAN-ERROR', { key: 'a' });
    const byRule = finding('SCAN-LIMIT', { key: 'b' });
    const evaluation = evaluatePolicy(
      { findings: [accepted, byRule] },
      policy(),
      {
        now: NOW,
        acceptances: [
          {
            id: 'ra-1',
            fingerprint: accepted.fingerprint,
            expiresAt: '2027-01-01T00:00:00Z',
          },
          {
            id: 'ra-2',
            ruleId: 'SCAN-LIMIT',
            expiresAt: '2026-11-01T00:00:00Z',
          },
        ],
      },
    );
    expect(evaluation.findings[0].acceptedBy).toEqual({
      id: 'ra-1',
      expiresAt: '2027-01-01T00:00:00Z',
    });
    expect(evaluation.findings[1].acceptedBy).toBeUndefined();
    expect(evaluation).toMatchObject({
      decision: 'BLOCK',
      acceptedCount: 1,
      warnings: [expect.stringContaining('ra-2 expired')],
    });
  });

  it('raises PICKLE-FORMAT to fail_on under enforce_safetensors (the rule is looked up by ID)', () => {
    const pickleFormat = {
      ...finding('SCAN-ERROR', { severity: 'info' }),
      ruleId: 'PICKLE-FORMAT',
    };
    expect(
      evaluatePolicy({ findings: [pickleFormat] }, policy(), { now: NOW })
        .decision,
    ).toBe('PASS');
    const enforced = evaluatePolicy(
      { findings: [pickleFormat] },
      policy({ enforceSafetensors: true }),
      { now: NOW },
    );
    expect(enforced.findings[0]).toMatchObject({
      severity: 'high',
      originalSeverity: 'info',
      outcome: 'BLOCK',
    });
  });

  it('disables non-scan rules by marking their findings suppressed', () => {
    const other = { ...finding('SCAN-ERROR'), ruleId: 'DEP-UNPINNED' };
    const evaluation = evaluatePolicy(
      { findings: [other] },
      policy({ rules: { 'DEP-UNPINNED': { enabled: false } } }),
      { now: NOW },
    );
    expect(evaluation.findings[0].suppressed).toEqual({
      kind: 'rule-disabled',
      ruleId: 'DEP-UNPINNED',
    });
    expect(evaluation.decision).toBe('PASS');
  });

  it('is pure: the input findings are not modified', () => {
    const input = [finding('SCAN-ERROR')];
    const copy = structuredClone(input);
    evaluatePolicy(
      { findings: input },
      policy({ rules: { 'SCAN-ERROR': { severity: 'low' } } }),
      { now: NOW },
    );
    expect(input).toEqual(copy);
  });

  it('property: any text either parses or fails with a PolicyError, never another exception', () => {
    expect(() =>
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc.string().map(s => `apiVersion: mlgov/v1\n${s}`),
          ),
          text => {
            try {
              parsePolicy(text);
            } catch (error) {
              if (!(error instanceof PolicyError)) throw error;
            }
          },
        ),
        { numRuns: 300 },
      ),
    ).not.toThrow();
  });
});
