import type { Finding, ScanResult } from '../model/finding';
import {
  SEVERITIES,
  isAtLeast,
  severityRank,
  type Severity,
} from '../model/severity';
import { findRule } from '../rules/catalogue';
import { globToRegExp } from '../engine/glob';
import { parseExpiry } from './expiry';
import {
  DECISION_RANK,
  type Acceptance,
  type AllowEntry,
  type EvaluatedFinding,
  type Policy,
  type PolicyEvaluation,
  type ReleaseDecision,
  type Suppression,
} from './types';

/**
 * The info rule for pickle-based models, owned by the pickle rules; looked up by ID so it can come and go.
 *
 * @public
 */
export const PICKLE_FORMAT_RULE_ID = 'PICKLE-FORMAT';

/**
 * Options of {@link evaluatePolicy}.
 *
 * @public
 */
export interface EvaluateOptions {
  /** The moment expiry dates are compared with. Passed in so evaluation stays pure and testable. */
  now: Date;
  /** Active risk acceptances (from the portal); expired ones are ignored with a warning. */
  acceptances?: readonly Acceptance[];
}

/**
 * Applies a policy to scan findings and decides the release: BLOCK if any counted finding is at or
 * above `fail_on`, else TICKET if any is at or above `ticket_on`, else PASS.
 *
 * Invariant: findings of scan rules (SCAN-ERROR, SCAN-LIMIT, SCAN-UNSUPPORTED — category `scan`) ask
 * for at least TICKET whatever the thresholds and severity overrides say, because input that was not
 * analysed must never pass silently. Only an explicit, owned, expiring exception (an allow entry or an
 * acceptance) takes one out of the count.
 *
 * Pure: same inputs, same output. The portal's risk acceptances reuse it.
 *
 * @public
 */
export function evaluatePolicy(
  result: Pick<ScanResult, 'findings'>,
  policy: Policy,
  options: EvaluateOptions,
): PolicyEvaluation {
  const now = options.now.getTime();
  const warnings: string[] = [];

  const allowEntries = policy.allow.filter(entry => {
    const expiry = parseExpiry(entry.expires);
    if (expiry && expiry.getTime() > now) return true;
    warnings.push(
      `Allow entry${
        entry.line ? ` at line ${entry.line}` : ''
      } (${describeMatchers(entry)}, owner ${entry.owner}) expired on ${
        entry.expires
      } and no longer applies: fix the findings or renew it with a new justification.`,
    );
    return false;
  });
  const matchers = allowEntries.map(entry => ({
    entry,
    matches: allowMatcher(entry),
  }));

  const acceptances = (options.acceptances ?? []).filter(acceptance => {
    const expiry = Date.parse(acceptance.expiresAt);
    if (!Number.isNaN(expiry) && expiry > now) return true;
    warnings.push(
      `Risk acceptance ${acceptance.id} expired at ${acceptance.expiresAt} and no longer applies.`,
    );
    return false;
  });

  const findings = result.findings.map(finding => {
    const severity = effectiveSeverity(finding, policy);
    const thresholdOutcome = outcomeOf(
      severity,
      policy,
      isScanRule(finding.ruleId),
    );
    const suppressed = suppressionOf(finding, policy, matchers);
    const acceptance = suppressed
      ? undefined
      : acceptances.find(a => acceptanceMatches(a, finding));
    const evaluated: EvaluatedFinding = {
      ...finding,
      severity,
      ...(severity !== finding.severity
        ? { originalSeverity: finding.severity }
        : {}),
      outcome: suppressed || acceptance ? 'PASS' : thresholdOutcome,
      ...(suppressed ? { suppressed } : {}),
      ...(acceptance
        ? { acceptedBy: { id: acceptance.id, expiresAt: acceptance.expiresAt } }
        : {}),
    };
    return evaluated;
  });

  const counted = findings.filter(
    finding => !finding.suppressed && !finding.acceptedBy,
  );
  const counts = Object.fromEntries(
    SEVERITIES.map(severity => [severity, 0]),
  ) as Record<Severity, number>;
  for (const finding of counted) counts[finding.severity]++;

  const decision = counted.reduce<ReleaseDecision>(
    (worst, finding) =>
      DECISION_RANK[finding.outcome] > DECISION_RANK[worst]
        ? finding.outcome
        : worst,
    'PASS',
  );

  return {
    decision,
    reasons: reasonsFor(counted, policy),
    warnings,
    counts,
    suppressedCount: findings.filter(finding => finding.suppressed).length,
    acceptedCount: findings.filter(finding => finding.acceptedBy).length,
    failOn: policy.failOn,
    ticketOn: policy.ticketOn,
    findings,
  };
}

function isScanRule(ruleId: string): boolean {
  return findRule(ruleId)?.category === 'scan';
}

function effectiveSeverity(finding: Finding, policy: Policy): Severity {
  let severity = policy.rules[finding.ruleId]?.severity ?? finding.severity;
  if (
    policy.enforceSafetensors &&
    finding.ruleId === PICKLE_FORMAT_RULE_ID &&
    !isAtLeast(severity, policy.failOn)
  ) {
    severity = policy.failOn;
  }
  return severity;
}

function outcomeOf(
  severity: Severity,
  policy: Policy,
  scanRule: boolean,
): ReleaseDecision {
  if (isAtLeast(severity, policy.failOn)) return 'BLOCK';
  if (isAtLeast(severity, policy.ticketOn) || scanRule) return 'TICKET';
  return 'PASS';
}

function suppressionOf(
  finding: Finding,
  policy: Policy,
  matchers: { entry: AllowEntry; matches: (finding: Finding) => boolean }[],
): Suppression | undefined {
  // Scan rules cannot be switched off (the parser refuses it; a policy built in code gets the same treatment).
  if (
    policy.rules[finding.ruleId]?.enabled === false &&
    !isScanRule(finding.ruleId)
  ) {
    return { kind: 'rule-disabled', ruleId: finding.ruleId };
  }
  const match = matchers.find(matcher => matcher.matches(finding));
  return match ? { kind: 'allowlist', entry: match.entry } : undefined;
}

function allowMatcher(entry: AllowEntry): (finding: Finding) => boolean {
  const pathPattern = entry.path ? globToRegExp(entry.path) : undefined;
  const symbol = entry.symbol;
  const pkg = entry.package ? normalisePackage(entry.package) : undefined;
  return finding =>
    (entry.rule === undefined || entry.rule === finding.ruleId) &&
    (entry.fingerprint === undefined ||
      entry.fingerprint === finding.fingerprint) &&
    (pathPattern === undefined || pathPattern.test(finding.location.path)) &&
    (symbol === undefined || symbolMatches(symbol, finding.evidence.symbol)) &&
    (pkg === undefined ||
      (finding.evidence.package !== undefined &&
        normalisePackage(finding.evidence.package) === pkg));
}

function symbolMatches(pattern: string, symbol: string | undefined): boolean {
  if (symbol === undefined) return false;
  if (pattern.endsWith('.*')) {
    const module = pattern.slice(0, -2);
    return symbol === module || symbol.startsWith(`${module}.`);
  }
  return symbol === pattern;
}

/** PEP 503: case-insensitive, runs of `-`, `_` and `.` are equivalent. */
function normalisePackage(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function acceptanceMatches(acceptance: Acceptance, finding: Finding): boolean {
  if (acceptance.fingerprint !== undefined) {
    return (
      acceptance.fingerprint === finding.fingerprint &&
      (acceptance.ruleId === undefined || acceptance.ruleId === finding.ruleId)
    );
  }
  return (
    acceptance.ruleId !== undefined && acceptance.ruleId === finding.ruleId
  );
}

function describeMatchers(entry: AllowEntry): string {
  const parts = (['rule', 'path', 'symbol', 'package', 'fingerprint'] as const)
    .filter(key => entry[key] !== undefined)
    .map(key => `${key} ${entry[key]}`);
  return parts.join(', ');
}

/** One line per (decision, rule), most severe first, naming up to three places. */
function reasonsFor(counted: EvaluatedFinding[], policy: Policy): string[] {
  const groups = new Map<string, EvaluatedFinding[]>();
  for (const finding of counted) {
    if (finding.outcome === 'PASS') continue;
    const key = `${finding.outcome}\u0000${finding.ruleId}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return [...groups.values()]
    .sort(
      (a, b) =>
        DECISION_RANK[b[0].outcome] - DECISION_RANK[a[0].outcome] ||
        severityRank(worstSeverity(b)) - severityRank(worstSeverity(a)) ||
        a[0].ruleId.localeCompare(b[0].ruleId),
    )
    .map(group => {
      const first = group[0];
      const severity = worstSeverity(group);
      const why = explain(first.outcome, severity, policy);
      const places = [...new Set(group.map(finding => finding.location.path))];
      const where =
        places.slice(0, 3).join(', ') +
        (places.length > 3 ? ` and ${places.length - 3} more` : '');
      return `${first.outcome}: ${first.ruleId} ${first.title} — ${
        group.length
      } finding${group.length === 1 ? '' : 's'} in ${where} (${why})`;
    });
}

function explain(
  outcome: ReleaseDecision,
  severity: Severity,
  policy: Policy,
): string {
  if (outcome === 'BLOCK')
    return `${severity} is at or above fail_on ${policy.failOn}`;
  if (isAtLeast(severity, policy.ticketOn))
    return `${severity} is at or above ticket_on ${policy.ticketOn}`;
  return 'input that was not analysed never passes';
}

function worstSeverity(findings: EvaluatedFinding[]): Severity {
  return findings.reduce<Severity>(
    (worst, f) =>
      severityRank(f.severity) > severityRank(worst) ? f.severity : worst,
    'info',
  );
}
