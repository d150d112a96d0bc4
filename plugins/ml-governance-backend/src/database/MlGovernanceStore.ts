import type {
  AcceptanceEvent,
  AcceptanceStatus,
  AcceptanceWithHistory,
  EntityDecision,
  Finding,
  FindingsQuery,
  Page,
  ReleaseDecision,
  ScanTargetResult,
  RiskAcceptance,
  ScanRun,
  ScanTrigger,
  SeverityCounts,
  StaleImportReport,
  StaleImportReportMeta,
  TeamOverview,
  TeamTrendPoint,
} from '@ml-governance/plugin-ml-governance-common';

/** An entity as synced from the catalog, with the targets to scan. */
export interface EntityRecord {
  entityRef: string;
  kind: string;
  owner?: string;
  policyName?: string;
  targets: string[];
  /**
   * The annotation value each target came from, by target (`file:/srv/…/models` → `file:./models`);
   * scan runs record it next to the resolved target. Empty for entities synced before it was kept.
   */
  declaredTargets?: Record<string, string>;
  /** Expected SHA-256 by path, from the `ml-governance.io/sha256` annotation. */
  pinnedHashes: Record<string, string>;
  /** `spec.lifecycle` (e.g. `production`, `experimental`), lower case. */
  lifecycle?: string;
  /** `spec.type` (e.g. `ai-model`, `service`, `model-server`), lower case. */
  type?: string;
}

/** Stored scan state of an entity. */
export interface EntityState extends EntityRecord {
  decision: EntityDecision;
  counts: SeverityCounts;
  acceptedCount: number;
  /** Digest per target from the last successful read, for incremental scans. */
  targetDigests: Record<string, string>;
  lastScanId?: string;
  lastScannedAt?: string;
  /** Why the last scan's results could not be stored or computed; the decision is not PASS while set. */
  scanError?: string;
}

/** What a team dashboard shows of each of its entities (the columns its page reads). */
export type TeamEntity = Pick<
  EntityState,
  | 'entityRef'
  | 'kind'
  | 'owner'
  | 'decision'
  | 'counts'
  | 'acceptedCount'
  | 'lastScannedAt'
>;

/** An entity claimed for scanning, with the scan run(s) its scan answers. */
export interface ClaimedEntity extends EntityState {
  /** The run this scan records; the entity's `lastScanId` once committed. */
  runId: string;
  /** Further queued manual runs of the entity answered by the same scan. */
  otherRunIds: string[];
  trigger: ScanTrigger;
}

/** A finding as produced by a scan, before it gets an ID and a lifecycle. */
export type ScannedFinding = Omit<
  Finding,
  | 'id'
  | 'entityRef'
  | 'status'
  | 'acceptanceId'
  | 'firstSeenAt'
  | 'lastSeenAt'
  | 'resolvedAt'
>;

export interface AcceptanceFilter {
  entityRef?: string;
  status?: AcceptanceStatus[];
  requestedBy?: string;
  /** Leave out requests made by this user (an approver never sees their own as decidable). */
  notRequestedBy?: string;
}

export interface AcceptanceTransition {
  id: string;
  /** The update only happens if the acceptance is still in one of these states… */
  fromStatus: AcceptanceStatus[];
  /** …and (when given) still at this revision. */
  revision?: number;
  to: Partial<
    Pick<
      RiskAcceptance,
      'status' | 'decidedBy' | 'decidedAt' | 'decisionComment'
    >
  > & {
    remindedAt?: string;
  };
  event: Omit<AcceptanceEvent, 'id' | 'acceptanceId'>;
}

/** A keyset page request: at most `limit` rows after the row `cursor` was issued for. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** A keyset page; `nextCursor` is set when more rows follow. */
export interface CursorPage<T> {
  items: T[];
  nextCursor?: string;
}

export interface TeamAggregateRow {
  ruleId: string;
  title: string;
  count: number;
}

/** Persistence of the plugin. One implementation over knex (SQLite and PostgreSQL). */
export interface MlGovernanceStore {
  // Entities and claims
  upsertEntities(records: EntityRecord[], syncedAt: string): Promise<void>;
  /** Forgets entities that left the catalog (not seen by the sync that started at `syncedAt`). */
  removeEntitiesNotSyncedSince(syncedAt: string): Promise<number>;
  getEntity(entityRef: string): Promise<EntityState | undefined>;
  listEntities(filter?: {
    owner?: string;
    entityRefs?: string[];
  }): Promise<EntityState[]>;
  /** Marks entities due for a scan (all of them when no refs are given). */
  /** Marks entities due; with `ciFreshSince`, not those whose last CI scan is at or after it. */
  requestScan(
    at: string,
    entityRefs?: string[],
    options?: { ciFreshSince?: string },
  ): Promise<void>;
  /** Records that a CI scan of the entity was stored (the scheduled sweep may then skip it). */
  markCiScan(entityRef: string, at: string, scanId: string): Promise<void>;
  /**
   * Claims up to `limit` due entities for `worker` until `claimExpiresAt` (a lease), in one
   * transaction that also starts their scan runs (queued manual runs become running; others get a
   * scheduled run). Due: requested since the last scan started and unclaimed, or claimed under a
   * lease that has expired (the holder died or stalled; its work is redone). Safe across replicas:
   * two workers never hold the same entity.
   */
  claimDueEntities(options: {
    worker: string;
    now: string;
    claimExpiresAt: string;
    limit: number;
  }): Promise<ClaimedEntity[]>;
  /** Extends `worker`'s leases on these entities (the heartbeat); returns how many it still holds. */
  renewClaims(
    worker: string,
    entityRefs: string[],
    claimExpiresAt: string,
  ): Promise<number>;
  /**
   * Ends `worker`'s claim and records the scan state. False (and nothing written) when the worker no
   * longer holds the claim: its lease expired and another replica took the entity over.
   */
  releaseClaim(
    entityRef: string,
    worker: string,
    update: {
      targetDigests?: Record<string, string>;
      lastScanId?: string;
      lastScannedAt?: string;
      /** Sets (string) or clears (null) the entity's scan error. */
      scanError?: string | null;
    },
  ): Promise<boolean>;
  /**
   * Finishes scans that read nothing new (every target unchanged), a group at a time in a few
   * statements: ends each claim still held by `worker` and marks its runs succeeded with the
   * entity's current decision. Runs of entities whose lease was lost are marked failed. Returns the
   * refs finished.
   */
  finishUnchangedScans(
    worker: string,
    finishedAt: string,
    scans: {
      entityRef: string;
      runIds: string[];
      targets: ScanTargetResult[];
      decision?: ReleaseDecision;
      counts: SeverityCounts;
    }[],
  ): Promise<string[]>;
  /**
   * Bulk form of {@link releaseClaim} for a group of committed scans (one statement per 100): ends
   * each claim still held by `worker` and records digests and the run. Returns the refs still held.
   */
  releaseClaims(
    worker: string,
    lastScannedAt: string,
    items: {
      entityRef: string;
      targetDigests: Record<string, string>;
      lastScanId: string;
    }[],
  ): Promise<string[]>;
  /** Bulk form of {@link setEntityDecision}. */
  setEntityDecisions(
    items: {
      entityRef: string;
      decision: ReleaseDecision | null;
      counts: SeverityCounts;
      acceptedCount: number;
    }[],
  ): Promise<void>;
  /** Finishes runs with their own status, targets, decision, counts and error, in few statements. */
  finishScanRuns(
    finishedAt: string,
    items: {
      runIds: string[];
      status: 'succeeded' | 'failed';
      targets: ScanTargetResult[];
      decision?: ReleaseDecision;
      counts?: SeverityCounts;
      error?: string;
    }[],
  ): Promise<void>;
  setEntityDecision(
    entityRef: string,
    state: {
      decision: ReleaseDecision | null;
      counts: SeverityCounts;
      acceptedCount: number;
    },
  ): Promise<void>;
  /** Last resort when nothing else could be written: no decision, the reason, the claim ended. */
  markEntityScanError(
    entityRef: string,
    worker: string,
    scanError: string,
  ): Promise<void>;
  /**
   * Runs left `running` by a replica that no longer holds the entity's lease (crashed, or taken
   * over) are marked failed with the reason 'abandoned'. Returns how many.
   */
  markAbandonedRuns(now: string): Promise<number>;
  /** Runs `work` in one database transaction: everything it writes commits together or not at all. */
  transaction<T>(work: (store: MlGovernanceStore) => Promise<T>): Promise<T>;

  // Scan runs
  insertScanRun(run: ScanRun & { entityOwner?: string }): Promise<void>;
  updateScanRun(
    id: string,
    update: Partial<Omit<ScanRun, 'id' | 'entityRef'>>,
  ): Promise<void>;
  /** The same update on several runs (a scan that answers several queued requests). */
  updateScanRuns(
    ids: string[],
    update: Partial<Omit<ScanRun, 'id' | 'entityRef'>>,
  ): Promise<void>;
  /** Newest first (queued runs ahead), a keyset page at a time. */
  listScanRuns(
    entityRef: string,
    page: PageRequest,
  ): Promise<CursorPage<ScanRun>>;
  getScanRun(id: string): Promise<ScanRun | undefined>;

  // Findings
  /**
   * Records what a scan saw for the given targets: new fingerprints are opened, seen ones refreshed
   * (and re-opened if resolved), and unseen ones of those targets resolved. Returns the newly opened.
   */
  applyScanFindings(options: {
    entity: EntityRecord;
    scannedTargets: string[];
    findings: ScannedFinding[];
    now: string;
  }): Promise<{ opened: Finding[]; resolved: number }>;
  /** Bulk form of {@link applyScanFindings} for several entities; returns the newly opened by entity. */
  applyScanFindingsMany(
    items: {
      entity: EntityRecord;
      scannedTargets: string[];
      findings: ScannedFinding[];
    }[],
    now: string,
  ): Promise<Map<string, Finding[]>>;
  /** Unresolved findings of several entities. */
  listUnresolvedFindingsFor(entityRefs: string[]): Promise<Finding[]>;
  /** Active acceptances of several entities (without history), for their decisions. */
  listActiveAcceptancesFor(entityRefs: string[]): Promise<RiskAcceptance[]>;
  /** Findings not resolved (open or accepted), for the decision. */
  listUnresolvedFindings(entityRef: string): Promise<Finding[]>;
  setFindingWaiver(
    ids: string[],
    waiver: { status: 'open' | 'accepted'; acceptanceId?: string },
  ): Promise<void>;
  countOpenBySeverity(
    entityRef: string,
  ): Promise<{ open: SeverityCounts; accepted: number }>;
  listFindings(entityRef: string, query: FindingsQuery): Promise<Page<Finding>>;
  /** Open (not accepted, not resolved) findings at or above a severity rank, for the gate. */
  listOpenFindings(
    entityRef: string,
    minSeverityRank: number,
  ): Promise<Finding[]>;
  getFinding(
    entityRef: string,
    fingerprint: string,
  ): Promise<Finding | undefined>;

  // Acceptances
  insertAcceptance(
    acceptance: RiskAcceptance & { entityKind: string; entityOwner?: string },
    event: Omit<AcceptanceEvent, 'id' | 'acceptanceId'>,
  ): Promise<void>;
  /** {@link listAcceptances} a keyset page at a time. */
  listAcceptancesPage(
    filter: AcceptanceFilter,
    page: PageRequest,
  ): Promise<CursorPage<AcceptanceWithHistory & { entityOwner?: string }>>;
  /** Requested (undecided) acceptances per entity, for summaries; entities with none are absent. */
  countRequestedAcceptances(entityRefs: string[]): Promise<Map<string, number>>;
  getAcceptance(
    id: string,
  ): Promise<(AcceptanceWithHistory & { entityOwner?: string }) | undefined>;
  listAcceptances(
    filter: AcceptanceFilter,
  ): Promise<(AcceptanceWithHistory & { entityOwner?: string })[]>;
  /** Conditional update (status and revision), plus a history event. Undefined when the condition failed. */
  transitionAcceptance(
    transition: AcceptanceTransition,
  ): Promise<RiskAcceptance | undefined>;
  listAcceptancesExpiring(options: {
    status: AcceptanceStatus;
    before: string;
    notReminded?: boolean;
  }): Promise<(RiskAcceptance & { entityOwner?: string })[]>;

  // History and aggregates
  recordDailyDecision(
    entries: {
      entityRef: string;
      owner?: string;
      day: string;
      decision: ReleaseDecision | null;
      counts: SeverityCounts;
    }[],
  ): Promise<void>;
  /** The repair path: rebuilds every dashboard counter from the findings and entities tables. */
  recountCounters(): Promise<void>;
  /** Every team's counters, maintained on write. */
  teamOverviews(): Promise<TeamOverview[]>;
  /** One team's counters; undefined when it owns no entity. */
  teamOverview(owner: string): Promise<TeamOverview | undefined>;
  /** The owner's entities by ref, a keyset page at a time. */
  listTeamEntities(
    owner: string,
    page: PageRequest,
  ): Promise<CursorPage<TeamEntity>>;
  teamTrend(owner: string, sinceDay: string): Promise<TeamTrendPoint[]>;
  topRules(owner: string, limit: number): Promise<TeamAggregateRow[]>;
  oldestOpenFindings(owner: string, limit: number): Promise<Finding[]>;
  /** Open findings of these rules, across entities (for the stale-import report). */
  listOpenFindingsByRule(
    ruleIds: string[],
  ): Promise<(Finding & { entityOwner?: string })[]>;
  listFindingsOpenSince(
    before: string,
    limit: number,
  ): Promise<(Finding & { entityOwner?: string })[]>;

  // Reports
  insertReport(report: StaleImportReport): Promise<void>;
  listReports(): Promise<StaleImportReportMeta[]>;
  /** `latest` returns the newest snapshot. */
  getReport(id: string): Promise<StaleImportReport | undefined>;
}
