import type { ScanResult } from '../model/finding';
import { SEVERITIES, severityRank, type Severity } from '../model/severity';
import type {
  EvaluatedFinding,
  PolicyEvaluation,
  ReleaseDecision,
} from '../policy/types';
import { formatLocation } from './location';

/**
 * Options of {@link textReport}.
 *
 * @public
 */
export interface TextReportOptions {
  /** ANSI colours; the CLI turns them on only for a TTY without NO_COLOR. */
  color?: boolean;
}

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  green: '\u001b[32m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
};

const SEVERITY_COLOUR: Record<Severity, string> = {
  critical: ANSI.magenta,
  high: ANSI.red,
  medium: ANSI.yellow,
  low: ANSI.cyan,
  info: ANSI.dim,
};

const DECISION_TEXT: Record<ReleaseDecision, { colour: string; text: string }> =
  {
    BLOCK: {
      colour: ANSI.red,
      text: 'BLOCK  release blocked: fix the findings below or get an approved exception',
    },
    TICKET: {
      colour: ANSI.yellow,
      text: 'TICKET  release may go ahead; the findings below need a ticket for their owner',
    },
    PASS: { colour: ANSI.green, text: 'PASS  nothing blocks this release' },
  };

/**
 * The terminal report: decision banner, counts, then findings grouped by file, most severe first.
 *
 * @public
 */
export function textReport(
  result: ScanResult,
  evaluation: PolicyEvaluation,
  options: TextReportOptions = {},
): string {
  const paint = (colour: string, text: string) =>
    options.color ? `${colour}${text}${ANSI.reset}` : text;
  const lines: string[] = [];
  const seconds = (result.durationMs / 1000).toFixed(1);
  lines.push(
    paint(
      ANSI.dim,
      `${result.tool.name} ${result.tool.version} · ${result.target} · ${
        result.files.length
      } file${result.files.length === 1 ? '' : 's'} in ${seconds} s`,
    ),
    '',
  );

  const banner = DECISION_TEXT[evaluation.decision];
  lines.push(paint(ANSI.bold + banner.colour, `■ ${banner.text}`));
  for (const reason of evaluation.reasons) lines.push(`  ${reason}`);

  const counts = SEVERITIES.map(
    severity => `${evaluation.counts[severity]} ${severity}`,
  ).join(', ');
  const extra = [
    evaluation.suppressedCount
      ? `${evaluation.suppressedCount} suppressed by policy`
      : '',
    evaluation.acceptedCount ? `${evaluation.acceptedCount} accepted` : '',
  ].filter(Boolean);
  lines.push(
    '',
    `Findings: ${counts}${extra.length ? ` (+ ${extra.join(', ')})` : ''}`,
    `Thresholds: fail_on ${evaluation.failOn}, ticket_on ${evaluation.ticketOn}`,
  );

  for (const [path, findings] of groupByFile(evaluation.findings)) {
    lines.push('', paint(ANSI.bold, path));
    for (const finding of findings) lines.push(...findingLines(finding, paint));
  }

  if (evaluation.warnings.length > 0) {
    lines.push('', paint(ANSI.bold + ANSI.yellow, 'Warnings'));
    for (const warning of evaluation.warnings) lines.push(`  ! ${warning}`);
  }
  return `${lines.join('\n')}\n`;
}

function findingLines(
  finding: EvaluatedFinding,
  paint: (colour: string, text: string) => string,
): string[] {
  const label = finding.severity.toUpperCase().padEnd(8);
  const muted = finding.suppressed || finding.acceptedBy;
  const head = `  ${paint(
    muted ? ANSI.dim : SEVERITY_COLOUR[finding.severity],
    label,
  )} ${finding.ruleId}  ${finding.title}`;
  const indent = '            ';
  const lines = [
    head,
    `${indent}at ${formatLocation(finding.location)}`,
    `${indent}${finding.message}`,
  ];
  if (finding.originalSeverity)
    lines.push(
      `${indent}severity ${finding.originalSeverity} → ${finding.severity} by policy`,
    );
  if (finding.suppressed?.kind === 'allowlist') {
    const entry = finding.suppressed.entry;
    lines.push(
      paint(
        ANSI.dim,
        `${indent}suppressed: allowed by policy until ${entry.expires} (owner ${entry.owner}): ${entry.justification}`,
      ),
    );
  } else if (finding.suppressed) {
    lines.push(paint(ANSI.dim, `${indent}suppressed: rule disabled by policy`));
  } else if (finding.acceptedBy) {
    lines.push(
      paint(
        ANSI.dim,
        `${indent}accepted: risk acceptance ${finding.acceptedBy.id} until ${finding.acceptedBy.expiresAt}`,
      ),
    );
  }
  lines.push(
    `${indent}fix: ${finding.fix}`,
    `${indent}retest: ${finding.retest}`,
    paint(
      ANSI.dim,
      `${indent}${finding.docsUrl} · fingerprint ${finding.fingerprint}`,
    ),
  );
  return lines;
}

/** Files with the worst findings first; counted findings before suppressed ones within a file. */
function groupByFile(
  findings: EvaluatedFinding[],
): [string, EvaluatedFinding[]][] {
  const groups = new Map<string, EvaluatedFinding[]>();
  for (const finding of findings)
    groups.set(finding.location.path, [
      ...(groups.get(finding.location.path) ?? []),
      finding,
    ]);
  const weight = (finding: EvaluatedFinding) =>
    (finding.suppressed || finding.acceptedBy ? 0 : 10) +
    severityRank(finding.severity);
  for (const group of groups.values())
    group.sort((a, b) => weight(b) - weight(a));
  return [...groups.entries()].sort(
    ([pathA, a], [pathB, b]) =>
      weight(b[0]) - weight(a[0]) || pathA.localeCompare(pathB),
  );
}
