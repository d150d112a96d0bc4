import type { ScanResult } from '../model/finding';
import type { EvaluatedFinding, PolicyEvaluation } from '../policy/types';

/**
 * Version of the JSON report layout; bumped on any breaking change to it.
 *
 * @public
 */
export const JSON_REPORT_VERSION = 'mlgov-report/v1';

/**
 * The machine-readable report: the scan result and the policy evaluation in one document, with a
 * fixed field order so two reports of the same scan diff cleanly.
 *
 * @public
 */
export function jsonReport(
  result: ScanResult,
  evaluation: PolicyEvaluation,
): string {
  const report = {
    reportVersion: JSON_REPORT_VERSION,
    tool: { name: result.tool.name, version: result.tool.version },
    target: result.target,
    // A remote target: the revision, registry version or listing digest actually read, and its cost.
    ...(result.remote ? { remote: sortKeys(result.remote) } : {}),
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    decision: evaluation.decision,
    reasons: evaluation.reasons,
    warnings: evaluation.warnings,
    thresholds: { failOn: evaluation.failOn, ticketOn: evaluation.ticketOn },
    counts: evaluation.counts,
    suppressedCount: evaluation.suppressedCount,
    acceptedCount: evaluation.acceptedCount,
    findings: evaluation.findings.map(orderedFinding),
    files: result.files.map(file => ({
      path: file.path,
      size: file.size,
      formats: file.formats,
      bytesRead: file.bytesRead,
    })),
    components: result.components.map(component => sortKeys(component)),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

function orderedFinding(finding: EvaluatedFinding) {
  return {
    ruleId: finding.ruleId,
    title: finding.title,
    severity: finding.severity,
    originalSeverity: finding.originalSeverity,
    outcome: finding.outcome,
    fingerprint: finding.fingerprint,
    message: finding.message,
    location: {
      path: finding.location.path,
      entry: finding.location.entry,
      offset: finding.location.offset,
      line: finding.location.line,
      column: finding.location.column,
    },
    evidence: sortKeys(finding.evidence),
    cwe: finding.cwe,
    owaspLlm: finding.owaspLlm,
    fix: finding.fix,
    retest: finding.retest,
    docsUrl: finding.docsUrl,
    suppressed: finding.suppressed,
    acceptedBy: finding.acceptedBy,
  };
}

/** Objects with keys in alphabetical order (recursively), for open-ended maps such as evidence. */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map(key => [key, sortKeys((value as Record<string, unknown>)[key])]),
  ) as T;
}
