/** Row mapping of the store's tables: database rows to domain objects and back. */
import {
  SEVERITIES,
  type AcceptanceEvent,
  type EntityDecision,
  type Finding,
  type RiskAcceptance,
  type ScanRun,
  type Severity,
  type SeverityCounts,
} from '@ml-governance/plugin-ml-governance-common';
import type {
  EntityState,
  ScannedFinding,
  TeamEntity,
} from '../MlGovernanceStore';
import { storableJson, storableRow, storableText } from '../storableText';

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export function emptyCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  return JSON.parse(text) as T;
}

export function optional<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

export function countsFromRow(row: Record<string, unknown>): SeverityCounts {
  const counts = emptyCounts();
  for (const severity of SEVERITIES)
    counts[severity] = Number(row[`open_${severity}`] ?? 0);
  return counts;
}

export function countsToRow(counts: SeverityCounts): Record<string, number> {
  return Object.fromEntries(
    SEVERITIES.map(severity => [`open_${severity}`, counts[severity]]),
  );
}

export function entityFromRow(row: any): EntityState {
  return {
    entityRef: row.entity_ref,
    kind: row.entity_kind,
    owner: optional(row.entity_owner),
    policyName: optional(row.policy_name),
    targets: parseJson(row.targets, []),
    declaredTargets: parseJson(row.declared_targets, {}),
    pinnedHashes: parseJson(row.pinned_hashes, {}),
    lifecycle: optional(row.entity_lifecycle),
    type: optional(row.entity_type),
    targetDigests: parseJson(row.target_digests, {}),
    decision: (row.decision ?? 'UNKNOWN') as EntityDecision,
    counts: countsFromRow(row),
    acceptedCount: Number(row.accepted_count),
    lastScanId: optional(row.last_scan_id),
    lastScannedAt: optional(row.last_scanned_at),
    scanError: optional(row.scan_error),
  };
}

/** The columns of a team dashboard's entity page: no JSON columns to read or parse. */
export const TEAM_ENTITY_COLUMNS = [
  'entity_ref',
  'entity_kind',
  'entity_owner',
  'decision',
  'accepted_count',
  'last_scanned_at',
  ...SEVERITIES.map(severity => `open_${severity}`),
];

export function teamEntityFromRow(row: any): TeamEntity {
  return {
    entityRef: row.entity_ref,
    kind: row.entity_kind,
    owner: optional(row.entity_owner),
    decision: (row.decision ?? 'UNKNOWN') as EntityDecision,
    counts: countsFromRow(row),
    acceptedCount: Number(row.accepted_count),
    lastScannedAt: optional(row.last_scanned_at),
  };
}

export function scanRunFromRow(row: any): ScanRun {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    trigger: row.trigger,
    status: row.status,
    requestedBy: optional(row.requested_by),
    startedAt: optional(row.started_at),
    finishedAt: optional(row.finished_at),
    decision: optional(row.decision),
    counts: row.counts ? parseJson(row.counts, emptyCounts()) : undefined,
    targets: parseJson(row.targets, []),
    error: optional(row.error),
    ...(row.trigger === 'ci'
      ? {
          provenance: {
            commitSha: optional(row.commit_sha),
            runUrl: optional(row.run_url),
            uploadedBy: row.uploaded_by ?? 'unknown',
          },
        }
      : {}),
  };
}

export function findingFromRow(row: any): Finding & { entityOwner?: string } {
  const details = parseJson<{
    cwe: string[];
    owaspLlm: string[];
    fix: string;
    retest: string;
    docsUrl: string;
  }>(row.details, { cwe: [], owaspLlm: [], fix: '', retest: '', docsUrl: '' });
  return {
    id: row.id,
    entityRef: row.entity_ref,
    entityOwner: optional(row.entity_owner),
    fingerprint: row.fingerprint,
    target: row.target,
    ruleId: row.rule_id,
    title: row.title,
    severity: row.severity,
    message: row.message,
    location: parseJson(row.location, { path: row.path }),
    evidence: parseJson(row.evidence, {}),
    ...details,
    status: row.status,
    acceptanceId: optional(row.acceptance_id),
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    resolvedAt: optional(row.resolved_at),
  };
}

export function findingColumns(finding: ScannedFinding) {
  return storableRow({
    target: finding.target,
    rule_id: finding.ruleId,
    title: finding.title,
    severity: finding.severity,
    severity_rank: severityRank(finding.severity),
    message: finding.message,
    path: finding.location.path,
    location: storableJson(finding.location),
    evidence: storableJson(finding.evidence),
    details: storableJson({
      cwe: finding.cwe,
      owaspLlm: finding.owaspLlm,
      fix: finding.fix,
      retest: finding.retest,
      docsUrl: finding.docsUrl,
    }),
  });
}

export function scanRunColumns(
  update: Partial<Omit<ScanRun, 'id' | 'entityRef'>>,
): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (update.status) row.status = update.status;
  if (update.startedAt) row.started_at = update.startedAt;
  if (update.finishedAt) row.finished_at = update.finishedAt;
  if (update.decision) row.decision = update.decision;
  if (update.counts) row.counts = storableJson(update.counts);
  if (update.targets) row.targets = storableJson(update.targets);
  if (update.error !== undefined)
    row.error = update.error === null ? null : storableText(update.error);
  return row;
}

export function acceptanceFromRow(
  row: any,
): RiskAcceptance & { entityOwner?: string } {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    entityOwner: optional(row.entity_owner),
    fingerprint: optional(row.fingerprint),
    ruleId: optional(row.rule_id),
    status: row.status,
    justification: row.justification,
    checklist: parseJson(row.checklist, {
      inActiveUse: false,
      saferAlternativeAvailable: false,
      sourceTrustedAndHashPinned: false,
    }),
    expiresAt: row.expires_at,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    decidedBy: optional(row.decided_by),
    decidedAt: optional(row.decided_at),
    decisionComment: optional(row.decision_comment),
    revision: Number(row.revision),
  };
}

export function eventFromRow(row: any): AcceptanceEvent {
  return {
    id: row.id,
    acceptanceId: row.acceptance_id,
    action: row.action,
    actor: row.actor,
    at: row.at,
    comment: optional(row.comment),
  };
}

export function eventColumns(
  event: Omit<AcceptanceEvent, 'id' | 'acceptanceId'>,
) {
  return storableRow({
    action: event.action,
    actor: event.actor,
    at: event.at,
    comment: event.comment ?? null,
  });
}
