import type {
  Log,
  Notification,
  Region,
  ReportingDescriptor,
  Result,
  Suppression,
  Location as SarifLocation,
} from 'sarif';
import type { ScanResult } from '../model/finding';
import type { Rule } from '../model/rule';
import {
  SECURITY_SEVERITY_SCORE,
  severityRank,
  type Severity,
} from '../model/severity';
import { RULES } from '../rules/catalogue';
import { RULES_DOCS_BASE } from '../engine/toFinding';
import type { EvaluatedFinding, PolicyEvaluation } from '../policy/types';
import { formatLocation } from './location';

/**
 * GitHub code scanning rejects runs with more results than this.
 *
 * @public
 */
export const SARIF_MAX_RESULTS = 25_000;

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const FINGERPRINT_KEY = 'mlgovFingerprint/v1';
const INFORMATION_URI = 'https://github.com/ml-governance/ml-governance';

/**
 * Options of {@link sarifReport}.
 *
 * @public
 */
export interface SarifOptions {
  /** The rule catalogue (defaults to the built-in one, read at call time). */
  rules?: readonly Rule[];
  /**
   * Path of the scan root relative to the repository root (`%SRCROOT%`), e.g. `models` for
   * `mlgov scan models/`. Finding paths are relative to the scan root; GitHub needs them relative to
   * the repository.
   */
  pathPrefix?: string;
  /** At most this many results (most severe kept); defaults to GitHub's limit. */
  maxResults?: number;
}

/**
 * SARIF 2.1.0 for GitHub code scanning: every catalogue rule as a `reportingDescriptor` (with CWE
 * tags and `security-severity`), one result per finding, suppressed and accepted findings as
 * `suppressions` so they show as dismissed rather than disappear.
 *
 * @public
 */
export function sarifReport(
  result: ScanResult,
  evaluation: PolicyEvaluation,
  options: SarifOptions = {},
): Log {
  const catalogue = [...(options.rules ?? RULES)];
  // A finding whose rule is missing from the given catalogue still needs a descriptor to point at.
  for (const finding of evaluation.findings) {
    if (!catalogue.some(rule => rule.id === finding.ruleId))
      catalogue.push(ruleFromFinding(finding));
  }
  const ruleIndex = new Map(catalogue.map((rule, index) => [rule.id, index]));
  const maxResults = options.maxResults ?? SARIF_MAX_RESULTS;

  // Keep the most severe when truncating; a stable sort keeps scan order among equals.
  const ordered = [...evaluation.findings].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity),
  );
  const kept = ordered.slice(0, maxResults);
  const notifications: Notification[] = evaluation.warnings.map(text => ({
    level: 'warning',
    message: { text },
  }));
  if (ordered.length > kept.length) {
    notifications.push({
      level: 'warning',
      message: {
        text: `${ordered.length} findings exceed the ${maxResults}-result limit of a SARIF run; only the ${kept.length} most severe are included. Use --format json for the full list.`,
      },
    });
  }

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: result.tool.name,
            version: result.tool.version,
            semanticVersion: result.tool.version,
            informationUri: INFORMATION_URI,
            rules: catalogue.map(reportingDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: result.startedAt,
            endTimeUtc: new Date(
              Date.parse(result.startedAt) + result.durationMs,
            ).toISOString(),
            toolExecutionNotifications: notifications,
          },
        ],
        results: kept.map(finding =>
          sarifResult(
            finding,
            ruleIndex.get(finding.ruleId)!,
            options.pathPrefix,
          ),
        ),
        properties: {
          decision: evaluation.decision,
          failOn: evaluation.failOn,
          ticketOn: evaluation.ticketOn,
          target: result.target,
        },
      },
    ],
  };
}

/** GitHub's severity for non-security queries, by SARIF level. */
const PROBLEM_SEVERITY: Record<Result.level, string> = {
  error: 'error',
  warning: 'warning',
  note: 'recommendation',
  none: 'recommendation',
};

/** code-scanning levels: error shows as a failing check, warning and note as annotations. */
function levelOf(severity: Severity): Result.level {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'note';
}

function reportingDescriptor(rule: Rule): ReportingDescriptor {
  const retest = (rule.retest ?? 'mlgov scan {path}').replace(
    '{path}',
    '<path>',
  );
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: plainText(rule.description) },
    help: {
      text: `${plainText(rule.description)}\n\nFix: ${plainText(
        rule.fix,
      )}\n\nRetest: ${retest}`,
      markdown: `${rule.description}\n\n**Fix.** ${rule.fix}\n\n**Retest.**\n\n\`\`\`sh\n${retest}\n\`\`\``,
    },
    helpUri: `${RULES_DOCS_BASE}#${rule.docsAnchor}`,
    defaultConfiguration: { level: levelOf(rule.severity) },
    properties: {
      // SARIF requires distinct tags.
      tags: [
        ...new Set([
          'security',
          rule.category,
          ...rule.cwe.map(cwe => `external/cwe/${cwe.toLowerCase()}`),
          ...rule.owaspLlm.map(
            id => `external/owasp-llm/${id.toLowerCase().replace(':', '-')}`,
          ),
        ]),
      ],
      'security-severity': SECURITY_SEVERITY_SCORE[rule.severity],
      precision: 'high',
      'problem.severity': PROBLEM_SEVERITY[levelOf(rule.severity)],
    },
  };
}

function sarifResult(
  finding: EvaluatedFinding,
  ruleIndex: number,
  pathPrefix: string | undefined,
): Result {
  const inMember = (finding.location.entry?.length ?? 0) > 0;
  const where = inMember ? ` [in ${formatLocation(finding.location)}]` : '';
  const suppression = suppressionOf(finding);
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: levelOf(finding.severity),
    message: { text: `${finding.message}${where}` },
    locations: [sarifLocation(finding, pathPrefix)],
    // Our fingerprint ignores offsets and lines, so GitHub keeps one alert per observation across edits.
    partialFingerprints: {
      [FINGERPRINT_KEY]: finding.fingerprint,
      primaryLocationLineHash: `${finding.fingerprint}:1`,
    },
    ...(suppression ? { suppressions: [suppression] } : {}),
    properties: {
      severity: finding.severity,
      ...(finding.originalSeverity
        ? { originalSeverity: finding.originalSeverity }
        : {}),
      outcome: finding.outcome,
      cwe: finding.cwe,
      owaspLlm: finding.owaspLlm,
      evidence: finding.evidence,
      retest: finding.retest,
    },
  };
}

/**
 * The file, plus a region when the line or byte offset belongs to the file itself. Inside an archive
 * member the offset is the member's, so the member is named in a logical location instead.
 */
function sarifLocation(
  finding: EvaluatedFinding,
  pathPrefix: string | undefined,
): SarifLocation {
  const { path, entry, line, column, offset } = finding.location;
  const artifactLocation = {
    uri: toUri(path, pathPrefix),
    uriBaseId: '%SRCROOT%',
  };
  if (entry && entry.length > 0) {
    return {
      physicalLocation: { artifactLocation },
      logicalLocations: [
        {
          name: entry[entry.length - 1],
          fullyQualifiedName: [path, ...entry].join('!/'),
          kind: 'archiveMember',
        },
      ],
    };
  }
  let region: Region | undefined;
  if (line !== undefined)
    region = {
      startLine: line,
      ...(column !== undefined ? { startColumn: column } : {}),
    };
  else if (offset !== undefined) region = { byteOffset: offset };
  return {
    physicalLocation: { artifactLocation, ...(region ? { region } : {}) },
  };
}

/** Allow entries and disabled rules live in the policy file, acceptances in the portal: both are external. */
function suppressionOf(finding: EvaluatedFinding): Suppression | undefined {
  if (finding.suppressed?.kind === 'allowlist') {
    const entry = finding.suppressed.entry;
    return {
      kind: 'external',
      status: 'accepted',
      justification: `Allowed by policy (owner ${entry.owner}, until ${entry.expires}): ${entry.justification}`,
    };
  }
  if (finding.suppressed)
    return {
      kind: 'external',
      status: 'accepted',
      justification: `Rule ${finding.ruleId} disabled by policy`,
    };
  if (finding.acceptedBy) {
    return {
      kind: 'external',
      status: 'accepted',
      justification: `Risk acceptance ${finding.acceptedBy.id}, until ${finding.acceptedBy.expiresAt}`,
    };
  }
  return undefined;
}

/** A relative URI reference: each path segment percent-encoded, `/` kept. */
function toUri(path: string, prefix: string | undefined): string {
  const joined = [prefix, path]
    .filter(part => part && part !== '.')
    .join('/')
    .replace(/\/{2,}/g, '/')
    .replace(/^\.\//, '');
  return joined.split('/').map(encodeURIComponent).join('/');
}

function ruleFromFinding(finding: EvaluatedFinding): Rule {
  return {
    id: finding.ruleId,
    title: finding.title,
    category: 'scan',
    severity: finding.originalSeverity ?? finding.severity,
    cwe: finding.cwe,
    owaspLlm: finding.owaspLlm,
    description: finding.title,
    fix: finding.fix,
    docsAnchor: finding.ruleId.toLowerCase(),
  };
}

function pascalCase(id: string): string {
  return id
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map(part => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** Drops inline Markdown marks for the plain-text fields. */
function plainText(markdown: string): string {
  return markdown
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]*)\*\*/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
}
