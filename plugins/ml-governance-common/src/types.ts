import type { PromotionGateStatus } from './promotion';

/**
 * Domain types shared by the ML Governance backend, frontend and clients.
 * Timestamps are ISO-8601 strings in UTC; entity references are full refs (`resource:default/fraud-model`).
 *
 * @public
 */
export const SEVERITIES = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
] as const;
/**
 * A finding's severity, from `info` to `critical`.
 *
 * @public
 */
export type Severity = (typeof SEVERITIES)[number];
/**
 * A count per severity.
 *
 * @public
 */
export type SeverityCounts = Record<Severity, number>;

/**
 * What a release of the entity may do: BLOCK stops it, TICKET lets it go with a ticket, PASS is clean.
 *
 * @public
 */
export type ReleaseDecision = 'BLOCK' | 'TICKET' | 'PASS';
/**
 * UNKNOWN: the entity is set up but has never been scanned successfully.
 *
 * @public
 */
export type EntityDecision = ReleaseDecision | 'UNKNOWN';

/**
 * Where a finding is in its lifecycle.
 *
 * @public
 */
export type FindingStatus = 'open' | 'accepted' | 'resolved';

/**
 * Where a finding is: the file, the archive member chain, and the offset or line.
 *
 * @public
 */
export interface FindingLocation {
  path: string;
  entry?: string[];
  offset?: number;
  line?: number;
  column?: number;
}

/**
 * One finding on an entity, with its evidence, fix and lifecycle.
 *
 * @public
 */
export interface Finding {
  id: string;
  entityRef: string;
  /** Stable across scans (scanner fingerprint); acceptances refer to it. */
  fingerprint: string;
  /** The scanned target (artifact or source location) the finding came from. */
  target: string;
  ruleId: string;
  title: string;
  severity: Severity;
  cwe: string[];
  owaspLlm: string[];
  message: string;
  location: FindingLocation;
  evidence: Record<string, unknown>;
  fix: string;
  retest: string;
  docsUrl: string;
  status: FindingStatus;
  /** The acceptance that currently waives this finding, if any. */
  acceptanceId?: string;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt?: string;
}

/**
 * Where a scan run is.
 *
 * @public
 */
export type ScanStatus = 'queued' | 'running' | 'succeeded' | 'failed';
/**
 * 'ci': uploaded by `mlgov scan --report-to` from a CI run (see {@link ScanProvenance}).
 *
 * @public
 */
export type ScanTrigger = 'schedule' | 'manual' | 'ci';

/**
 * Where an uploaded ('ci') scan came from.
 *
 * @public
 */
export interface ScanProvenance {
  commitSha?: string;
  runUrl?: string;
  uploadedBy: string;
}

/**
 * What one scan did with one target of the entity.
 *
 * @public
 */
export interface ScanTargetResult {
  /** The resolved target the scan read (`file:<absolute path>` on the server, shown redacted). */
  target: string;
  /**
   * The target as the entity's annotation wrote it (`file:./models/foo.pt`, `hf://org/name`): what
   * the owner knows. Absent on runs recorded before it was kept, and for targets no annotation names.
   */
  declared?: string;
  status: 'scanned' | 'unchanged' | 'failed';
  /**
   * The version that was judged, as the resolver identified it: the pinned commit of a Hugging Face
   * revision, the MLflow version and run, a hash of an S3 listing's ETags, or a hash of local files.
   */
  version?: string;
  error?: string;
  filesScanned: number;
  bytesRead: number;
}

/**
 * One scan of an entity: trigger, status, decision, counts and what happened to each target.
 *
 * @public
 */
export interface ScanRun {
  id: string;
  entityRef: string;
  trigger: ScanTrigger;
  status: ScanStatus;
  requestedBy?: string;
  startedAt?: string;
  finishedAt?: string;
  decision?: ReleaseDecision;
  counts?: SeverityCounts;
  targets: ScanTargetResult[];
  error?: string;
  /** Set on 'ci' runs only. */
  provenance?: ScanProvenance;
}

/**
 * A scan made in CI, as `mlgov scan --report-to` uploads it. `decision` is what the CI side
 * computed; the portal ignores it and recomputes the decision from the findings.
 *
 * @public
 */
export interface CiScanUpload {
  findings: CiScanFinding[];
  decision?: ReleaseDecision;
  commitSha?: string;
  runUrl?: string;
}

/**
 * One uploaded finding: a stored {@link Finding} without what the portal assigns.
 *
 * @public
 */
export type CiScanFinding = Omit<
  Finding,
  | 'id'
  | 'entityRef'
  | 'status'
  | 'acceptanceId'
  | 'firstSeenAt'
  | 'lastSeenAt'
  | 'resolvedAt'
>;

/**
 * An entity's release decision, open finding counts, acceptances and last scan.
 *
 * @public
 */
export interface EntitySummary {
  entityRef: string;
  owner?: string;
  kind: string;
  decision: EntityDecision;
  /** Open (not accepted, not resolved) findings by severity. */
  counts: SeverityCounts;
  acceptedCount: number;
  pendingAcceptances: number;
  /** When the last scan finished (also in team summaries, which leave out the full run). */
  lastScanAt?: string;
  lastScan?: ScanRun;
}

/**
 * Acceptance lifecycle (DefectDojo-style): requested → active (approved) | rejected;
 * active → expired (at expiresAt) | revoked. Re-extending an expired acceptance is a new request.
 *
 * @public
 */
export type AcceptanceStatus =
  | 'requested'
  | 'active'
  | 'rejected'
  | 'expired'
  | 'revoked';

/**
 * The requester's answers to the risk-acceptance checklist.
 *
 * @public
 */
export interface AcceptanceChecklist {
  /** Is the risky import/format in active use (not dead code or a stale dependency)? */
  inActiveUse: boolean;
  /** Is there a safer alternative (safetensors, weights_only, a hardened loader)? */
  saferAlternativeAvailable: boolean;
  /** Why the safer alternative is not used now, or the plan to move to it. */
  saferAlternativePlan?: string;
  /** Is the artifact's source trusted and its hash pinned? */
  sourceTrustedAndHashPinned: boolean;
}

/**
 * A risk acceptance: what it waives, why, until when, and where it is in review.
 *
 * @public
 */
export interface RiskAcceptance {
  id: string;
  entityRef: string;
  /** Exactly one of fingerprint (one finding) or ruleId (every finding of a rule on the entity). */
  fingerprint?: string;
  ruleId?: string;
  status: AcceptanceStatus;
  justification: string;
  checklist: AcceptanceChecklist;
  expiresAt: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionComment?: string;
  /** Incremented on every change; decisions must name the revision they saw. */
  revision: number;
}

/**
 * What happened to a risk acceptance in its history.
 *
 * @public
 */
export type AcceptanceAction =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'revoked'
  | 'expired'
  | 'expiry-reminder';

/**
 * One entry of a risk acceptance's audit history.
 *
 * @public
 */
export interface AcceptanceEvent {
  id: string;
  acceptanceId: string;
  action: AcceptanceAction;
  actor: string;
  at: string;
  comment?: string;
}

/**
 * A risk acceptance with its audit history.
 *
 * @public
 */
export interface AcceptanceWithHistory extends RiskAcceptance {
  history: AcceptanceEvent[];
}

/**
 * A request to accept the risk of one finding or of every finding of a rule on an entity.
 *
 * @public
 */
export interface AcceptanceRequest {
  entityRef: string;
  fingerprint?: string;
  ruleId?: string;
  justification: string;
  checklist: AcceptanceChecklist;
  expiresAt: string;
}

/**
 * An approver's decision on a requested acceptance, with the comment and the revision seen.
 *
 * @public
 */
export interface AcceptanceDecision {
  decision: 'approve' | 'reject';
  comment: string;
  /** The revision the approver saw; a stale revision is a conflict (409). */
  revision: number;
}

/**
 * A team's open findings and blocked entities on one day.
 *
 * @public
 */
export interface TeamTrendPoint {
  /** Day (YYYY-MM-DD). */
  date: string;
  open: SeverityCounts;
  blockedEntities: number;
}

/**
 * A team's risk dashboard: entities, decisions, counts, top rules, oldest findings and trend.
 *
 * @public
 */
export interface TeamRiskSummary {
  owner: string;
  entities: EntitySummary[];
  decisions: Record<EntityDecision, number>;
  counts: SeverityCounts;
  topRules: { ruleId: string; title: string; count: number }[];
  oldestOpen: Finding[];
  trend: TeamTrendPoint[];
  /** Entities the team owns; `entities` is one page of them (by ref), the totals cover all. */
  entityCount?: number;
  /** Pass as `entityCursor` for the next page of `entities`; absent on the last. */
  entitiesNextCursor?: string;
}

/**
 * A team's entities, decisions and open counts, for the list of teams.
 *
 * @public
 */
export interface TeamOverview {
  owner: string;
  entityCount: number;
  decisions: Record<EntityDecision, number>;
  counts: SeverityCounts;
}

/**
 * A risky dependency declared but never imported, or imported but not declared.
 *
 * @public
 */
export interface StaleImportItem {
  entityRef: string;
  owner?: string;
  ruleId: string;
  fingerprint: string;
  package?: string;
  path: string;
  message: string;
  firstSeenAt: string;
}

/**
 * One team's part of a stale-import report.
 *
 * @public
 */
export interface StaleImportTeamSection {
  owner: string;
  /** Risky dependencies declared but imported nowhere. */
  staleDependencies: StaleImportItem[];
  /** Risky imports whose package is not declared directly. */
  undeclaredImports: StaleImportItem[];
  /** Active acceptances expiring within the next quarter. */
  expiringAcceptances: RiskAcceptance[];
  /** Findings open longer than a quarter. */
  longOpenFindings: Finding[];
}

/**
 * When a stale-import report was made, for which quarter and how.
 *
 * @public
 */
export interface StaleImportReportMeta {
  id: string;
  /** e.g. `2026-Q4`. */
  period: string;
  generatedAt: string;
  trigger: 'schedule' | 'manual';
}

/**
 * A quarterly stale-import report with a section per team.
 *
 * @public
 */
export interface StaleImportReport extends StaleImportReportMeta {
  teams: StaleImportTeamSection[];
}

/**
 * A finding that blocks a release, as the gate reports it.
 *
 * @public
 */
export interface GateBlockingItem {
  ruleId: string;
  title: string;
  severity: Severity;
  fingerprint: string;
  pendingAcceptance?: { id: string; status: AcceptanceStatus };
}

/**
 * What `mlgov gate` receives: the release decision and what it waits for.
 *
 * @public
 */
export interface GateResponse {
  entityRef: string;
  decision: EntityDecision;
  blocking: GateBlockingItem[];
  lastScanAt?: string;
  /** With `?digest=`: that artifact version's promotion; `decision` is PASS only when it is promoted. */
  promotion?: PromotionGateStatus;
}

/**
 * One page of a list, with the total count.
 *
 * @public
 */
export interface Page<T> {
  items: T[];
  totalCount: number;
  offset: number;
  limit: number;
  /** Pass as `cursor` for the page after this one (keyset: stable while rows are added); absent on the last page. */
  nextCursor?: string;
}

/**
 * A keyset page of a list answered as an array (the cursor travels in a response header).
 *
 * @public
 */
export interface CursorPage<T> {
  items: T[];
  /** Pass as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}

/**
 * Filters, sorting and paging of a findings list.
 *
 * @public
 */
export interface FindingsQuery {
  status?: FindingStatus[];
  severity?: Severity[];
  ruleId?: string;
  /** Free text over rule, title, message, path, symbol. */
  q?: string;
  offset?: number;
  limit?: number;
  /** A page's `nextCursor`: the page after it, instead of `offset` (never both). */
  cursor?: string;
  orderBy?: 'severity' | 'firstSeenAt' | 'lastSeenAt' | 'ruleId' | 'path';
  order?: 'asc' | 'desc';
}
