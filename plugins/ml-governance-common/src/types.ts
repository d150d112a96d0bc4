/**
 * Domain types shared by the ML Governance backend, frontend and clients.
 * Timestamps are ISO-8601 strings in UTC; entity references are full refs (`resource:default/fraud-model`).
 */

export const SEVERITIES = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
] as const;
export type Severity = (typeof SEVERITIES)[number];
export type SeverityCounts = Record<Severity, number>;

/** What a release of the entity may do: BLOCK stops it, TICKET lets it go with a ticket, PASS is clean. */
export type ReleaseDecision = 'BLOCK' | 'TICKET' | 'PASS';
/** UNKNOWN: the entity is set up but has never been scanned successfully. */
export type EntityDecision = ReleaseDecision | 'UNKNOWN';

export type FindingStatus = 'open' | 'accepted' | 'resolved';

export interface FindingLocation {
  path: string;
  entry?: string[];
  offset?: number;
  line?: number;
  column?: number;
}

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

export type ScanStatus = 'queued' | 'running' | 'succeeded' | 'failed';
/** 'ci': uploaded by `mlgov scan --report-to` from a CI run (see {@link ScanProvenance}). */
export type ScanTrigger = 'schedule' | 'manual' | 'ci';

/** Where an uploaded ('ci') scan came from. */
export interface ScanProvenance {
  commitSha?: string;
  runUrl?: string;
  uploadedBy: string;
}

export interface ScanTargetResult {
  target: string;
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
 */
export interface CiScanUpload {
  findings: CiScanFinding[];
  decision?: ReleaseDecision;
  commitSha?: string;
  runUrl?: string;
}

/** One uploaded finding: a stored {@link Finding} without what the portal assigns. */
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
 */
export type AcceptanceStatus =
  | 'requested'
  | 'active'
  | 'rejected'
  | 'expired'
  | 'revoked';

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

export type AcceptanceAction =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'revoked'
  | 'expired'
  | 'expiry-reminder';

export interface AcceptanceEvent {
  id: string;
  acceptanceId: string;
  action: AcceptanceAction;
  actor: string;
  at: string;
  comment?: string;
}

export interface AcceptanceWithHistory extends RiskAcceptance {
  history: AcceptanceEvent[];
}

export interface AcceptanceRequest {
  entityRef: string;
  fingerprint?: string;
  ruleId?: string;
  justification: string;
  checklist: AcceptanceChecklist;
  expiresAt: string;
}

export interface AcceptanceDecision {
  decision: 'approve' | 'reject';
  comment: string;
  /** The revision the approver saw; a stale revision is a conflict (409). */
  revision: number;
}

export interface TeamTrendPoint {
  /** Day (YYYY-MM-DD). */
  date: string;
  open: SeverityCounts;
  blockedEntities: number;
}

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

export interface TeamOverview {
  owner: string;
  entityCount: number;
  decisions: Record<EntityDecision, number>;
  counts: SeverityCounts;
}

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

export interface StaleImportReportMeta {
  id: string;
  /** e.g. `2026-Q4`. */
  period: string;
  generatedAt: string;
  trigger: 'schedule' | 'manual';
}

export interface StaleImportReport extends StaleImportReportMeta {
  teams: StaleImportTeamSection[];
}

export interface GateBlockingItem {
  ruleId: string;
  title: string;
  severity: Severity;
  fingerprint: string;
  pendingAcceptance?: { id: string; status: AcceptanceStatus };
}

/** What `mlgov gate` receives: the release decision and what it waits for. */
export interface GateResponse {
  entityRef: string;
  decision: EntityDecision;
  blocking: GateBlockingItem[];
  lastScanAt?: string;
}

export interface Page<T> {
  items: T[];
  totalCount: number;
  offset: number;
  limit: number;
  /** Pass as `cursor` for the page after this one (keyset: stable while rows are added); absent on the last page. */
  nextCursor?: string;
}

/** A keyset page of a list answered as an array (the cursor travels in a response header). */
export interface CursorPage<T> {
  items: T[];
  /** Pass as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}

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
