import { randomUUID } from 'node:crypto';
import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import {
  SEVERITIES,
  type AcceptanceEvent,
  type AcceptanceWithHistory,
  type EntityDecision,
  type Finding,
  type FindingsQuery,
  type Page,
  type ReleaseDecision,
  type RiskAcceptance,
  type ScanRun,
  type ScanTargetResult,
  type Severity,
  type SeverityCounts,
  type StaleImportReport,
  type StaleImportReportMeta,
  type TeamOverview,
  type TeamTrendPoint,
} from '@ml-governance/plugin-ml-governance-common';
import type {
  AcceptanceFilter,
  AcceptanceTransition,
  ClaimedEntity,
  EntityRecord,
  CursorPage,
  EntityState,
  MlGovernanceStore,
  PageRequest,
  ScannedFinding,
  TeamAggregateRow,
} from './MlGovernanceStore';
import { FindingCountersStore } from './FindingCountersStore';
import {
  acceptancesKeyset,
  findingsKeyset,
  SCAN_RUN_STARTED_SORT,
  scanRunsKeyset,
  teamEntitiesKeyset,
} from './listOrders';
import { keysetPage } from './keyset';
import { migrateWithRetry } from './migrateWithRetry';
import { storableJson, storableRow, storableText } from './storableText';

const migrationsDir = resolvePackagePath(
  '@ml-governance/plugin-ml-governance-backend',
  'migrations',
);

const ENTITIES = 'mlgov_entities';
const SCAN_RUNS = 'mlgov_scan_runs';
const FINDINGS = 'mlgov_findings';
const ACCEPTANCES = 'mlgov_acceptances';
const EVENTS = 'mlgov_acceptance_events';
const HISTORY = 'mlgov_decision_history';
const REPORTS = 'mlgov_report_snapshots';

/** Rows per multi-row insert: keeps well under SQLite's bound-parameter limit. */
const INSERT_CHUNK = 100;

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export function emptyCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  return JSON.parse(text) as T;
}

function optional<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

function countsFromRow(row: Record<string, unknown>): SeverityCounts {
  const counts = emptyCounts();
  for (const severity of SEVERITIES)
    counts[severity] = Number(row[`open_${severity}`] ?? 0);
  return counts;
}

function countsToRow(counts: SeverityCounts): Record<string, number> {
  return Object.fromEntries(
    SEVERITIES.map(severity => [`open_${severity}`, counts[severity]]),
  );
}

function entityFromRow(row: any): EntityState {
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

function scanRunFromRow(row: any): ScanRun {
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

function findingFromRow(row: any): Finding & { entityOwner?: string } {
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

function findingColumns(finding: ScannedFinding) {
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

function scanRunColumns(
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

const ABANDONED =
  'abandoned: the replica running this scan stopped before finishing (its lease expired); the entity is scanned again';

function acceptanceFromRow(
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

function eventFromRow(row: any): AcceptanceEvent {
  return {
    id: row.id,
    acceptanceId: row.acceptance_id,
    action: row.action,
    actor: row.actor,
    at: row.at,
    comment: optional(row.comment),
  };
}

/**
 * Escapes LIKE wildcards so free-text search matches literally. The text is made storable first, as
 * stored text was: a NUL typed into the search matches the stored `\u0000` (and PostgreSQL does not
 * fail on it).
 */
function likePattern(text: string): string {
  return `%${storableText(text)
    .toLocaleLowerCase('en-US')
    .replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

/** The knex implementation of {@link MlGovernanceStore}, portable across SQLite and PostgreSQL. */
export class DatabaseMlGovernanceStore implements MlGovernanceStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    logger?: LoggerService;
    /** How long to wait for another replica's migration (lock held) before giving up. Default 60 s. */
    migrationWaitMs?: number;
  }): Promise<DatabaseMlGovernanceStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await migrateWithRetry(client, migrationsDir, {
        logger: options.logger,
        maxWaitMs: options.migrationWaitMs,
      });
    }
    return new DatabaseMlGovernanceStore(client);
  }

  private constructor(private readonly db: Knex) {}

  private get isPostgres(): boolean {
    return ['pg', 'postgres', 'postgresql'].includes(
      String(this.db.client.config.client),
    );
  }

  /** Counters maintained on write, over the same connection or transaction as this store. */
  private get counters(): FindingCountersStore {
    return new FindingCountersStore(this.db, this.isPostgres);
  }

  async transaction<T>(
    work: (store: MlGovernanceStore) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(tx => work(new DatabaseMlGovernanceStore(tx)));
  }

  // Entities and claims

  async upsertEntities(
    records: EntityRecord[],
    syncedAt: string,
  ): Promise<void> {
    for (let i = 0; i < records.length; i += INSERT_CHUNK) {
      const chunk = records.slice(i, i + INSERT_CHUNK);
      await this.db.transaction(tx =>
        new DatabaseMlGovernanceStore(tx).upsertEntityChunk(chunk, syncedAt),
      );
    }
  }

  /** One chunk of a sync; teams whose membership changed are recounted with it. */
  private async upsertEntityChunk(
    chunk: EntityRecord[],
    syncedAt: string,
  ): Promise<void> {
    const before = await this.counters.ownersOf(chunk.map(r => r.entityRef));
    const rows = chunk.map(record =>
      storableRow({
        entity_ref: record.entityRef,
        entity_kind: record.kind,
        entity_owner: record.owner ?? null,
        policy_name: record.policyName ?? null,
        targets: storableJson(record.targets),
        declared_targets: storableJson(record.declaredTargets ?? {}),
        pinned_hashes: storableJson(record.pinnedHashes),
        entity_lifecycle: record.lifecycle ?? null,
        entity_type: record.type ?? null,
        synced_at: syncedAt,
      }),
    );
    await this.db(ENTITIES)
      .insert(rows)
      .onConflict('entity_ref')
      .merge([
        'entity_kind',
        'entity_owner',
        'policy_name',
        'targets',
        'declared_targets',
        'pinned_hashes',
        'entity_lifecycle',
        'entity_type',
        'synced_at',
      ]);
    // New (or returning: their findings were kept) entities are counted; teams that gained or lost one too.
    const added = chunk.filter(r => !before.has(r.entityRef));
    const moved = chunk.filter(
      r =>
        before.has(r.entityRef) && before.get(r.entityRef) !== (r.owner ?? ''),
    );
    await this.counters.refreshEntities(
      added.map(r => r.entityRef),
      moved.flatMap(r => [r.owner ?? '', before.get(r.entityRef)!]),
    );
  }

  async removeEntitiesNotSyncedSince(syncedAt: string): Promise<number> {
    return this.db.transaction(async tx => {
      const gone = await tx(ENTITIES)
        .where('synced_at', '<', syncedAt)
        .select('entity_ref', 'entity_owner');
      const removed = await tx(ENTITIES)
        .where('synced_at', '<', syncedAt)
        .delete();
      await new FindingCountersStore(tx, this.isPostgres).forgetEntities(
        gone.map(row => row.entity_ref),
        gone.map(row => row.entity_owner ?? ''),
      );
      return removed;
    });
  }

  async listTeamEntities(
    owner: string,
    page: PageRequest,
  ): Promise<CursorPage<EntityState>> {
    const { rows, nextCursor } = await keysetPage(
      this.db(ENTITIES).where('entity_owner', owner),
      { ...teamEntitiesKeyset(owner), ...page },
    );
    return { items: rows.map(entityFromRow), nextCursor };
  }

  async getEntity(entityRef: string): Promise<EntityState | undefined> {
    const row = await this.db(ENTITIES).where('entity_ref', entityRef).first();
    return row ? entityFromRow(row) : undefined;
  }

  async listEntities(
    filter: { owner?: string; entityRefs?: string[] } = {},
  ): Promise<EntityState[]> {
    const query = this.db(ENTITIES).orderBy('entity_ref');
    if (filter.owner) query.where('entity_owner', filter.owner);
    if (filter.entityRefs) query.whereIn('entity_ref', filter.entityRefs);
    return (await query).map(entityFromRow);
  }

  async requestScan(
    at: string,
    entityRefs?: string[],
    options: { ciFreshSince?: string } = {},
  ): Promise<void> {
    const query = this.db(ENTITIES).update({ scan_requested_at: at });
    if (entityRefs) query.whereIn('entity_ref', entityRefs);
    const { ciFreshSince } = options;
    if (ciFreshSince) {
      query.where(q =>
        q
          .whereNull('last_ci_scan_at')
          .orWhere('last_ci_scan_at', '<', ciFreshSince),
      );
    }
    await query;
  }

  async markCiScan(
    entityRef: string,
    at: string,
    scanId: string,
  ): Promise<void> {
    await this.db(ENTITIES).where('entity_ref', entityRef).update({
      last_ci_scan_at: at,
      last_scanned_at: at,
      last_scan_id: scanId,
      scan_error: null,
    });
  }

  async claimDueEntities(options: {
    worker: string;
    now: string;
    claimExpiresAt: string;
    limit: number;
  }): Promise<ClaimedEntity[]> {
    const { worker, now, claimExpiresAt, limit } = options;
    return this.db.transaction(async tx => {
      // Due and unclaimed, or held under a lease that has run out (its holder is gone or stalled).
      const candidates = tx(ENTITIES)
        .select('entity_ref')
        .where(due =>
          due
            .where(fresh =>
              fresh
                .whereNull('claimed_by')
                .whereNotNull('scan_requested_at')
                .andWhere(inner =>
                  inner
                    .whereNull('last_scan_started_at')
                    .orWhereRaw('?? > ??', [
                      'scan_requested_at',
                      'last_scan_started_at',
                    ]),
                ),
            )
            .orWhere(expired =>
              expired
                .whereNotNull('claimed_by')
                .where('claim_expires_at', '<', now),
            ),
        )
        .orderBy('scan_requested_at')
        .limit(limit);
      // PostgreSQL: rows another replica is claiming right now are skipped, not waited for. SQLite
      // runs one writer at a time, so the statement is atomic there anyway.
      if (this.isPostgres) candidates.forUpdate().skipLocked();
      const rows: any[] = await tx(ENTITIES)
        .whereIn('entity_ref', candidates)
        .update({
          claimed_by: worker,
          claim_expires_at: claimExpiresAt,
          last_scan_started_at: now,
        })
        .returning('*');
      if (rows.length === 0) return [];
      rows.sort((a, b) =>
        String(a.entity_ref).localeCompare(String(b.entity_ref)),
      );

      const refs = rows.map(row => row.entity_ref as string);
      const queued: any[] = await tx(SCAN_RUNS)
        .whereIn('entity_ref', refs)
        .where('status', 'queued')
        .select('id', 'entity_ref')
        .orderBy('id');
      const queuedByRef = new Map<string, string[]>();
      for (const run of queued)
        queuedByRef.set(run.entity_ref, [
          ...(queuedByRef.get(run.entity_ref) ?? []),
          run.id,
        ]);
      if (queued.length > 0) {
        await tx(SCAN_RUNS)
          .whereIn(
            'id',
            queued.map(run => run.id),
          )
          .update({ status: 'running', started_at: now, worker });
      }

      const claimed: ClaimedEntity[] = [];
      const inserts: Record<string, unknown>[] = [];
      for (const row of rows) {
        const entity = entityFromRow(row);
        const [runId, ...otherRunIds] = queuedByRef.get(entity.entityRef) ?? [];
        if (runId) {
          claimed.push({ ...entity, runId, otherRunIds, trigger: 'manual' });
          continue;
        }
        const id = randomUUID();
        inserts.push({
          id,
          entity_ref: row.entity_ref,
          entity_owner: row.entity_owner,
          trigger: 'schedule',
          status: 'running',
          started_at: now,
          targets: '[]',
          worker,
        });
        claimed.push({
          ...entity,
          runId: id,
          otherRunIds: [],
          trigger: 'schedule',
        });
      }
      for (let i = 0; i < inserts.length; i += INSERT_CHUNK)
        await tx(SCAN_RUNS).insert(inserts.slice(i, i + INSERT_CHUNK));
      return claimed;
    });
  }

  async renewClaims(
    worker: string,
    entityRefs: string[],
    claimExpiresAt: string,
  ): Promise<number> {
    let renewed = 0;
    for (let i = 0; i < entityRefs.length; i += INSERT_CHUNK) {
      renewed += await this.db(ENTITIES)
        .where('claimed_by', worker)
        .whereIn('entity_ref', entityRefs.slice(i, i + INSERT_CHUNK))
        .update({ claim_expires_at: claimExpiresAt });
    }
    return renewed;
  }

  async releaseClaim(
    entityRef: string,
    worker: string,
    update: {
      targetDigests?: Record<string, string>;
      lastScanId?: string;
      lastScannedAt?: string;
      scanError?: string | null;
    },
  ): Promise<boolean> {
    const updated = await this.db(ENTITIES)
      .where({ entity_ref: entityRef, claimed_by: worker })
      .update({
        claimed_by: null,
        claim_expires_at: null,
        ...(update.targetDigests
          ? { target_digests: storableJson(update.targetDigests) }
          : {}),
        ...(update.lastScanId ? { last_scan_id: update.lastScanId } : {}),
        ...(update.lastScannedAt
          ? { last_scanned_at: update.lastScannedAt }
          : {}),
        ...(update.scanError !== undefined
          ? {
              scan_error:
                update.scanError === null
                  ? null
                  : storableText(update.scanError),
            }
          : {}),
      });
    return updated === 1;
  }

  async finishUnchangedScans(
    worker: string,
    finishedAt: string,
    scans: {
      entityRef: string;
      runIds: string[];
      targets: ScanTargetResult[];
      decision?: ReleaseDecision;
      counts: SeverityCounts;
    }[],
  ): Promise<string[]> {
    const finished: string[] = [];
    for (let i = 0; i < scans.length; i += INSERT_CHUNK) {
      const chunk = scans.slice(i, i + INSERT_CHUNK);
      // One statement per chunk: CASE picks each entity's own run id (portable to both engines).
      const lastScanId = this.caseOf(
        'entity_ref',
        chunk.map(scan => [scan.entityRef, scan.runIds[0]]),
      );
      const rows: any[] = await this.db(ENTITIES)
        .where('claimed_by', worker)
        .whereIn(
          'entity_ref',
          chunk.map(scan => scan.entityRef),
        )
        .update({
          claimed_by: null,
          claim_expires_at: null,
          last_scanned_at: finishedAt,
          scan_error: null,
          last_scan_id: lastScanId,
        })
        .returning('entity_ref');
      const held = new Set(rows.map(row => row.entity_ref as string));
      const runs = chunk
        .filter(scan => held.has(scan.entityRef))
        .flatMap(scan => scan.runIds.map(id => ({ id, scan })));
      if (runs.length > 0) {
        await this.db(SCAN_RUNS)
          .whereIn(
            'id',
            runs.map(run => run.id),
          )
          .update({
            status: 'succeeded',
            finished_at: finishedAt,
            targets: this.caseOf(
              'id',
              runs.map(run => [run.id, storableJson(run.scan.targets)]),
            ),
            decision: this.caseOf(
              'id',
              runs.map(run => [run.id, run.scan.decision ?? null]),
            ),
            counts: this.caseOf(
              'id',
              runs.map(run => [run.id, storableJson(run.scan.counts)]),
            ),
          });
      }
      const lost = chunk
        .filter(scan => !held.has(scan.entityRef))
        .flatMap(scan => scan.runIds);
      if (lost.length > 0) {
        await this.db(SCAN_RUNS).whereIn('id', lost).update({
          status: 'failed',
          finished_at: finishedAt,
          error:
            'lease lost: another replica took this entity over and scans it again',
        });
      }
      finished.push(...held);
    }
    return finished;
  }

  /** `CASE column WHEN key THEN value … END`, bound: one value per row in a single UPDATE. */
  private caseOf(
    column: string,
    pairs: [string, string | number | null][],
    pgType: 'text' | 'integer' = 'text',
  ): Knex.Raw {
    const whens = pairs.map(() => 'WHEN ? THEN ?').join(' ');
    // PostgreSQL cannot infer the type of bound THEN values; SQLite keeps the bound types.
    const cast = this.isPostgres ? `::${pgType}` : '';
    return this.db.raw(`(CASE ?? ${whens} END)${cast}`, [
      column,
      ...pairs.flatMap(([key, value]) => [key, value]),
    ]);
  }

  async releaseClaims(
    worker: string,
    lastScannedAt: string,
    items: {
      entityRef: string;
      targetDigests: Record<string, string>;
      lastScanId: string;
    }[],
  ): Promise<string[]> {
    const held: string[] = [];
    for (let i = 0; i < items.length; i += INSERT_CHUNK) {
      const chunk = items.slice(i, i + INSERT_CHUNK);
      const rows: any[] = await this.db(ENTITIES)
        .where('claimed_by', worker)
        .whereIn(
          'entity_ref',
          chunk.map(item => item.entityRef),
        )
        .update({
          claimed_by: null,
          claim_expires_at: null,
          last_scanned_at: lastScannedAt,
          scan_error: null,
          last_scan_id: this.caseOf(
            'entity_ref',
            chunk.map(item => [item.entityRef, item.lastScanId]),
          ),
          target_digests: this.caseOf(
            'entity_ref',
            chunk.map(item => [
              item.entityRef,
              storableJson(item.targetDigests),
            ]),
          ),
        })
        .returning('entity_ref');
      held.push(...rows.map(row => row.entity_ref as string));
    }
    return held;
  }

  async setEntityDecisions(
    items: {
      entityRef: string;
      decision: ReleaseDecision | null;
      counts: SeverityCounts;
      acceptedCount: number;
    }[],
  ): Promise<void> {
    await this.db.transaction(tx =>
      new DatabaseMlGovernanceStore(tx).writeEntityDecisions(items),
    );
  }

  private async writeEntityDecisions(
    items: Parameters<MlGovernanceStore['setEntityDecisions']>[0],
  ): Promise<void> {
    for (let i = 0; i < items.length; i += INSERT_CHUNK) {
      const chunk = items.slice(i, i + INSERT_CHUNK);
      const byRef = (
        value: (item: (typeof chunk)[number]) => string | number | null,
        type: 'text' | 'integer',
      ) =>
        this.caseOf(
          'entity_ref',
          chunk.map(item => [item.entityRef, value(item)]),
          type,
        );
      await this.db(ENTITIES)
        .whereIn(
          'entity_ref',
          chunk.map(item => item.entityRef),
        )
        .update({
          decision: byRef(item => item.decision, 'text'),
          accepted_count: byRef(item => item.acceptedCount, 'integer'),
          ...Object.fromEntries(
            SEVERITIES.map(severity => [
              `open_${severity}`,
              byRef(item => item.counts[severity], 'integer'),
            ]),
          ),
        });
    }
    await this.counters.refreshEntities(items.map(item => item.entityRef));
  }

  async finishScanRuns(
    finishedAt: string,
    items: {
      runIds: string[];
      status: 'succeeded' | 'failed';
      targets: ScanTargetResult[];
      decision?: ReleaseDecision;
      counts?: SeverityCounts;
      error?: string;
    }[],
  ): Promise<void> {
    const runs = items.flatMap(item => item.runIds.map(id => ({ id, item })));
    for (let i = 0; i < runs.length; i += INSERT_CHUNK) {
      const chunk = runs.slice(i, i + INSERT_CHUNK);
      const byId = (value: (item: (typeof items)[number]) => string | null) =>
        this.caseOf(
          'id',
          chunk.map(run => [run.id, value(run.item)]),
        );
      await this.db(SCAN_RUNS)
        .whereIn(
          'id',
          chunk.map(run => run.id),
        )
        .update({
          finished_at: finishedAt,
          status: byId(item => item.status),
          targets: byId(item => storableJson(item.targets)),
          decision: byId(item => item.decision ?? null),
          counts: byId(item =>
            item.counts ? storableJson(item.counts) : null,
          ),
          error: byId(item =>
            item.error === undefined ? null : storableText(item.error),
          ),
        });
    }
  }

  async markEntityScanError(
    entityRef: string,
    worker: string,
    scanError: string,
  ): Promise<void> {
    await this.updateEntityWithCounters(entityRef, async db =>
      db(ENTITIES)
        .where('entity_ref', entityRef)
        .andWhere(inner =>
          inner.where('claimed_by', worker).orWhereNull('claimed_by'),
        )
        .update({
          decision: null,
          scan_error: storableText(scanError),
          claimed_by: null,
          claim_expires_at: null,
        }),
    );
  }

  /** Runs an update of an entity's decision and recounts its counters, in one transaction. */
  private async updateEntityWithCounters(
    entityRef: string,
    update: (db: Knex) => Promise<unknown>,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await update(tx);
      await new FindingCountersStore(tx, this.isPostgres).refreshEntities([
        entityRef,
      ]);
    });
  }

  async markAbandonedRuns(now: string): Promise<number> {
    return this.db(SCAN_RUNS)
      .where('status', 'running')
      .whereNotExists(holder =>
        holder
          .select(this.db.raw('1'))
          .from(ENTITIES)
          .whereRaw('??.?? = ??.??', [
            ENTITIES,
            'entity_ref',
            SCAN_RUNS,
            'entity_ref',
          ])
          .whereRaw('??.?? = ??.??', [
            ENTITIES,
            'claimed_by',
            SCAN_RUNS,
            'worker',
          ])
          .where(`${ENTITIES}.claim_expires_at`, '>=', now),
      )
      .update({ status: 'failed', finished_at: now, error: ABANDONED });
  }

  async setEntityDecision(
    entityRef: string,
    state: {
      decision: ReleaseDecision | null;
      counts: SeverityCounts;
      acceptedCount: number;
    },
  ): Promise<void> {
    await this.updateEntityWithCounters(entityRef, db =>
      db(ENTITIES)
        .where('entity_ref', entityRef)
        .update({
          decision: state.decision,
          accepted_count: state.acceptedCount,
          ...countsToRow(state.counts),
        }),
    );
  }

  // Scan runs

  async insertScanRun(run: ScanRun & { entityOwner?: string }): Promise<void> {
    await this.db(SCAN_RUNS).insert(
      storableRow({
        id: run.id,
        entity_ref: run.entityRef,
        entity_owner: run.entityOwner ?? null,
        trigger: run.trigger,
        status: run.status,
        requested_by: run.requestedBy ?? null,
        started_at: run.startedAt ?? null,
        finished_at: run.finishedAt ?? null,
        decision: run.decision ?? null,
        counts: run.counts ? storableJson(run.counts) : null,
        targets: storableJson(run.targets),
        error: run.error ?? null,
        commit_sha: run.provenance?.commitSha ?? null,
        run_url: run.provenance?.runUrl ?? null,
        uploaded_by: run.provenance?.uploadedBy ?? null,
      }),
    );
  }

  async updateScanRun(
    id: string,
    update: Partial<Omit<ScanRun, 'id' | 'entityRef'>>,
  ): Promise<void> {
    await this.db(SCAN_RUNS).where('id', id).update(scanRunColumns(update));
  }

  async updateScanRuns(
    ids: string[],
    update: Partial<Omit<ScanRun, 'id' | 'entityRef'>>,
  ): Promise<void> {
    const row = scanRunColumns(update);
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      await this.db(SCAN_RUNS)
        .whereIn('id', ids.slice(i, i + INSERT_CHUNK))
        .update(row);
    }
  }

  async listScanRuns(
    entityRef: string,
    page: PageRequest,
  ): Promise<CursorPage<ScanRun>> {
    const { rows, nextCursor } = await keysetPage(
      this.db(SCAN_RUNS)
        .where('entity_ref', entityRef)
        .select(
          '*',
          this.db.raw(`${SCAN_RUN_STARTED_SORT} AS sort_started_at`),
        ),
      { ...scanRunsKeyset(entityRef), ...page },
    );
    return { items: rows.map(scanRunFromRow), nextCursor };
  }

  async getScanRun(id: string): Promise<ScanRun | undefined> {
    const row = await this.db(SCAN_RUNS).where('id', id).first();
    return row ? scanRunFromRow(row) : undefined;
  }

  // Findings

  async applyScanFindings(options: {
    entity: EntityRecord;
    scannedTargets: string[];
    findings: ScannedFinding[];
    now: string;
  }): Promise<{ opened: Finding[]; resolved: number }> {
    const { entity, now } = options;
    return this.db.transaction(async tx => {
      const existing: any[] = await tx(FINDINGS)
        .where('entity_ref', entity.entityRef)
        .select('id', 'fingerprint', 'target', 'status');
      const byFingerprint = new Map(
        existing.map(row => [row.fingerprint, row]),
      );
      const seen = new Set<string>();
      const inserts: any[] = [];
      const reopened: string[] = [];

      for (const finding of options.findings) {
        if (seen.has(finding.fingerprint)) continue;
        seen.add(finding.fingerprint);
        const previous = byFingerprint.get(finding.fingerprint);
        if (!previous) {
          inserts.push({
            id: randomUUID(),
            ...storableRow({
              entity_ref: entity.entityRef,
              entity_kind: entity.kind,
              entity_owner: entity.owner ?? null,
              fingerprint: finding.fingerprint,
            }),
            ...findingColumns(finding),
            status: 'open',
            acceptance_id: null,
            first_seen_at: now,
            last_seen_at: now,
            resolved_at: null,
          });
          continue;
        }
        const wasResolved = previous.status === 'resolved';
        if (wasResolved) reopened.push(previous.id);
        await tx(FINDINGS)
          .where('id', previous.id)
          .update({
            ...findingColumns(finding),
            entity_owner:
              entity.owner === undefined ? null : storableText(entity.owner),
            last_seen_at: now,
            ...(wasResolved
              ? { status: 'open', resolved_at: null, acceptance_id: null }
              : {}),
          });
      }
      for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
        await tx(FINDINGS).insert(inserts.slice(i, i + INSERT_CHUNK));
      }

      const scanned = new Set(options.scannedTargets);
      const toResolve = existing
        .filter(
          row =>
            row.status !== 'resolved' &&
            scanned.has(row.target) &&
            !seen.has(row.fingerprint),
        )
        .map(row => row.id as string);
      for (let i = 0; i < toResolve.length; i += INSERT_CHUNK) {
        await tx(FINDINGS)
          .whereIn('id', toResolve.slice(i, i + INSERT_CHUNK))
          .update({
            status: 'resolved',
            resolved_at: now,
            acceptance_id: null,
          });
      }

      // New rows are known as written (no read back); re-opened ones are read.
      const opened: Finding[] = inserts.map(findingFromRow);
      for (let i = 0; i < reopened.length; i += INSERT_CHUNK) {
        const rows = await tx(FINDINGS).whereIn(
          'id',
          reopened.slice(i, i + INSERT_CHUNK),
        );
        opened.push(...rows.map(findingFromRow));
      }
      return { opened, resolved: toResolve.length };
    });
  }

  async applyScanFindingsMany(
    items: {
      entity: EntityRecord;
      scannedTargets: string[];
      findings: ScannedFinding[];
    }[],
    now: string,
  ): Promise<Map<string, Finding[]>> {
    const refs = items.map(item => item.entity.entityRef);
    const existing: any[] = [];
    for (let i = 0; i < refs.length; i += INSERT_CHUNK) {
      existing.push(
        ...(await this.db(FINDINGS)
          .whereIn('entity_ref', refs.slice(i, i + INSERT_CHUNK))
          .select(
            'id',
            'entity_ref',
            'entity_owner',
            'fingerprint',
            'target',
            'status',
            'rule_id',
            'title',
            'severity',
            'message',
            'path',
            'location',
            'evidence',
            'details',
          )),
      );
    }
    const byKey = new Map(
      existing.map(row => [`${row.entity_ref}\n${row.fingerprint}`, row]),
    );
    const inserts: any[] = [];
    const seenIds: string[] = [];
    const reopened: string[] = [];
    const contentUpdates: { id: string; columns: Record<string, unknown> }[] =
      [];
    const toResolve: string[] = [];
    const openedByRef = new Map<string, Finding[]>(refs.map(ref => [ref, []]));
    const refOfReopened = new Map<string, string>();

    for (const { entity, findings, scannedTargets } of items) {
      const seen = new Set<string>();
      const owner =
        entity.owner === undefined ? null : storableText(entity.owner);
      for (const finding of findings) {
        if (seen.has(finding.fingerprint)) continue;
        seen.add(finding.fingerprint);
        const columns = findingColumns(finding);
        const previous = byKey.get(
          `${entity.entityRef}\n${finding.fingerprint}`,
        );
        if (!previous) {
          inserts.push({
            id: randomUUID(),
            ...storableRow({
              entity_ref: entity.entityRef,
              entity_kind: entity.kind,
              entity_owner: entity.owner ?? null,
              fingerprint: finding.fingerprint,
            }),
            ...columns,
            status: 'open',
            acceptance_id: null,
            first_seen_at: now,
            last_seen_at: now,
            resolved_at: null,
          });
          continue;
        }
        seenIds.push(previous.id);
        if (previous.status === 'resolved') {
          reopened.push(previous.id);
          refOfReopened.set(previous.id, entity.entityRef);
        }
        const changed =
          previous.entity_owner !== owner ||
          Object.entries(columns).some(
            ([column, value]) => String(previous[column]) !== String(value),
          );
        if (changed)
          contentUpdates.push({
            id: previous.id,
            columns: { ...columns, entity_owner: owner },
          });
      }
      const scanned = new Set(scannedTargets);
      for (const row of existing) {
        if (row.entity_ref !== entity.entityRef) continue;
        if (
          row.status !== 'resolved' &&
          scanned.has(row.target) &&
          !seen.has(row.fingerprint)
        )
          toResolve.push(row.id);
      }
    }

    for (let i = 0; i < inserts.length; i += INSERT_CHUNK)
      await this.db(FINDINGS).insert(inserts.slice(i, i + INSERT_CHUNK));
    for (let i = 0; i < seenIds.length; i += INSERT_CHUNK) {
      await this.db(FINDINGS)
        .whereIn('id', seenIds.slice(i, i + INSERT_CHUNK))
        .update({ last_seen_at: now });
    }
    for (let i = 0; i < reopened.length; i += INSERT_CHUNK) {
      await this.db(FINDINGS)
        .whereIn('id', reopened.slice(i, i + INSERT_CHUNK))
        .update({ status: 'open', resolved_at: null, acceptance_id: null });
    }
    // Content rarely changes for a fingerprint; those few rows are updated one by one.
    for (const update of contentUpdates)
      await this.db(FINDINGS).where('id', update.id).update(update.columns);
    for (let i = 0; i < toResolve.length; i += INSERT_CHUNK) {
      await this.db(FINDINGS)
        .whereIn('id', toResolve.slice(i, i + INSERT_CHUNK))
        .update({ status: 'resolved', resolved_at: now, acceptance_id: null });
    }

    for (const row of inserts)
      openedByRef.get(row.entity_ref)?.push(findingFromRow(row));
    for (let i = 0; i < reopened.length; i += INSERT_CHUNK) {
      for (const row of await this.db(FINDINGS).whereIn(
        'id',
        reopened.slice(i, i + INSERT_CHUNK),
      )) {
        openedByRef.get(refOfReopened.get(row.id)!)?.push(findingFromRow(row));
      }
    }
    return openedByRef;
  }

  async listUnresolvedFindingsFor(entityRefs: string[]): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (let i = 0; i < entityRefs.length; i += INSERT_CHUNK) {
      const rows = await this.db(FINDINGS)
        .whereIn('entity_ref', entityRefs.slice(i, i + INSERT_CHUNK))
        .whereIn('status', ['open', 'accepted'])
        .orderBy([
          { column: 'entity_ref' },
          { column: 'severity_rank', order: 'desc' },
          { column: 'first_seen_at', order: 'asc' },
        ]);
      findings.push(...rows.map(findingFromRow));
    }
    return findings;
  }

  async listActiveAcceptancesFor(
    entityRefs: string[],
  ): Promise<RiskAcceptance[]> {
    const acceptances: RiskAcceptance[] = [];
    for (let i = 0; i < entityRefs.length; i += INSERT_CHUNK) {
      const rows = await this.db(ACCEPTANCES)
        .whereIn('entity_ref', entityRefs.slice(i, i + INSERT_CHUNK))
        .where('status', 'active')
        .orderBy([
          { column: 'requested_at', order: 'desc' },
          { column: 'id', order: 'asc' },
        ]);
      acceptances.push(...rows.map(acceptanceFromRow));
    }
    return acceptances;
  }

  async listUnresolvedFindings(entityRef: string): Promise<Finding[]> {
    const rows = await this.db(FINDINGS)
      .where('entity_ref', entityRef)
      .whereIn('status', ['open', 'accepted'])
      .orderBy([
        { column: 'severity_rank', order: 'desc' },
        { column: 'first_seen_at', order: 'asc' },
      ]);
    return rows.map(findingFromRow);
  }

  async setFindingWaiver(
    ids: string[],
    waiver: { status: 'open' | 'accepted'; acceptanceId?: string },
  ): Promise<void> {
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      await this.db(FINDINGS)
        .whereIn('id', ids.slice(i, i + INSERT_CHUNK))
        .update({
          status: waiver.status,
          acceptance_id: waiver.acceptanceId ?? null,
        });
    }
  }

  async countOpenBySeverity(
    entityRef: string,
  ): Promise<{ open: SeverityCounts; accepted: number }> {
    const rows = await this.db(FINDINGS)
      .where('entity_ref', entityRef)
      .whereIn('status', ['open', 'accepted'])
      .select('status', 'severity')
      .count({ count: '*' })
      .groupBy('status', 'severity');
    const open = emptyCounts();
    let accepted = 0;
    for (const row of rows as any[]) {
      if (row.status === 'open')
        open[row.severity as Severity] += Number(row.count);
      else accepted += Number(row.count);
    }
    return { open, accepted };
  }

  async listFindings(
    entityRef: string,
    query: FindingsQuery,
  ): Promise<Page<Finding>> {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    const base = this.db(FINDINGS).where('entity_ref', entityRef);
    if (query.status?.length) base.whereIn('status', query.status);
    if (query.severity?.length) base.whereIn('severity', query.severity);
    if (query.ruleId) base.where('rule_id', query.ruleId);
    if (query.q) {
      const pattern = likePattern(query.q);
      base.where(inner => {
        for (const column of [
          'rule_id',
          'title',
          'message',
          'path',
          'evidence',
        ]) {
          inner.orWhereRaw(`LOWER(??) LIKE ? ESCAPE '\\'`, [column, pattern]);
        }
      });
    }
    const [{ count }] = (await base.clone().count({ count: '*' })) as any[];
    const { rows, nextCursor } = await keysetPage(base, {
      ...findingsKeyset(entityRef, query),
      limit,
      offset,
      cursor: query.cursor,
    });
    return {
      items: rows.map(findingFromRow),
      totalCount: Number(count),
      offset,
      limit,
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  async listOpenFindings(
    entityRef: string,
    minSeverityRank: number,
  ): Promise<Finding[]> {
    const rows = await this.db(FINDINGS)
      .where({ entity_ref: entityRef, status: 'open' })
      .where('severity_rank', '>=', minSeverityRank)
      .orderBy([
        { column: 'severity_rank', order: 'desc' },
        { column: 'first_seen_at', order: 'asc' },
      ]);
    return rows.map(findingFromRow);
  }

  async getFinding(
    entityRef: string,
    fingerprint: string,
  ): Promise<Finding | undefined> {
    const row = await this.db(FINDINGS)
      .where({ entity_ref: entityRef, fingerprint })
      .first();
    return row ? findingFromRow(row) : undefined;
  }

  // Acceptances

  async insertAcceptance(
    acceptance: RiskAcceptance & { entityKind: string; entityOwner?: string },
    event: Omit<AcceptanceEvent, 'id' | 'acceptanceId'>,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(ACCEPTANCES).insert(
        storableRow({
          id: acceptance.id,
          entity_ref: acceptance.entityRef,
          entity_kind: acceptance.entityKind,
          entity_owner: acceptance.entityOwner ?? null,
          fingerprint: acceptance.fingerprint ?? null,
          rule_id: acceptance.ruleId ?? null,
          status: acceptance.status,
          justification: acceptance.justification,
          checklist: storableJson(acceptance.checklist),
          expires_at: acceptance.expiresAt,
          requested_by: acceptance.requestedBy,
          requested_at: acceptance.requestedAt,
          revision: acceptance.revision,
        }),
      );
      await tx(EVENTS).insert({
        id: randomUUID(),
        acceptance_id: acceptance.id,
        revision: acceptance.revision,
        ...eventColumns(event),
      });
    });
  }

  async getAcceptance(
    id: string,
  ): Promise<(AcceptanceWithHistory & { entityOwner?: string }) | undefined> {
    const row = await this.db(ACCEPTANCES).where('id', id).first();
    if (!row) return undefined;
    const [withHistory] = await this.withHistory([acceptanceFromRow(row)]);
    return withHistory;
  }

  async listAcceptances(
    filter: AcceptanceFilter,
  ): Promise<(AcceptanceWithHistory & { entityOwner?: string })[]> {
    const query = this.acceptanceQuery(filter).orderBy([
      { column: 'requested_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    return this.withHistory((await query).map(acceptanceFromRow));
  }

  async listAcceptancesPage(
    filter: AcceptanceFilter,
    page: PageRequest,
  ): Promise<CursorPage<AcceptanceWithHistory & { entityOwner?: string }>> {
    const { rows, nextCursor } = await keysetPage(
      this.acceptanceQuery(filter),
      { ...acceptancesKeyset(filter), ...page },
    );
    return {
      items: await this.withHistory(rows.map(acceptanceFromRow)),
      nextCursor,
    };
  }

  private acceptanceQuery(filter: AcceptanceFilter) {
    const query = this.db(ACCEPTANCES);
    if (filter.entityRef) query.where('entity_ref', filter.entityRef);
    if (filter.status?.length) query.whereIn('status', filter.status);
    if (filter.requestedBy) query.where('requested_by', filter.requestedBy);
    if (filter.notRequestedBy)
      query.whereNot('requested_by', filter.notRequestedBy);
    return query;
  }

  async transitionAcceptance(
    transition: AcceptanceTransition,
  ): Promise<RiskAcceptance | undefined> {
    return this.db.transaction(async tx => {
      const update: Record<string, unknown> = {
        revision: tx.raw('?? + 1', ['revision']),
      };
      if (transition.to.status) update.status = transition.to.status;
      if (transition.to.decidedBy)
        update.decided_by = storableText(transition.to.decidedBy);
      if (transition.to.decidedAt) update.decided_at = transition.to.decidedAt;
      if (transition.to.decisionComment !== undefined) {
        update.decision_comment =
          transition.to.decisionComment === null
            ? null
            : storableText(transition.to.decisionComment);
      }
      if (transition.to.remindedAt)
        update.reminded_at = transition.to.remindedAt;

      const query = tx(ACCEPTANCES)
        .where('id', transition.id)
        .whereIn('status', transition.fromStatus);
      if (transition.revision !== undefined)
        query.where('revision', transition.revision);
      const updated = await query.update(update);
      if (updated !== 1) return undefined;
      const row = await tx(ACCEPTANCES).where('id', transition.id).first();
      await tx(EVENTS).insert({
        id: randomUUID(),
        acceptance_id: transition.id,
        revision: row.revision,
        ...eventColumns(transition.event),
      });
      return acceptanceFromRow(row);
    });
  }

  async listAcceptancesExpiring(options: {
    status: RiskAcceptance['status'];
    before: string;
    notReminded?: boolean;
  }): Promise<(RiskAcceptance & { entityOwner?: string })[]> {
    const query = this.db(ACCEPTANCES)
      .where('status', options.status)
      .where('expires_at', '<=', options.before)
      .orderBy('expires_at');
    if (options.notReminded) query.whereNull('reminded_at');
    return (await query).map(acceptanceFromRow);
  }

  private async withHistory<T extends RiskAcceptance>(
    acceptances: T[],
  ): Promise<(T & AcceptanceWithHistory)[]> {
    const byId = new Map<string, AcceptanceEvent[]>(
      acceptances.map(a => [a.id, []]),
    );
    const ids = [...byId.keys()];
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      const rows = await this.db(EVENTS)
        .whereIn('acceptance_id', ids.slice(i, i + INSERT_CHUNK))
        .orderBy([
          { column: 'revision', order: 'asc' },
          { column: 'id', order: 'asc' },
        ]);
      for (const row of rows)
        byId.get(row.acceptance_id)?.push(eventFromRow(row));
    }
    return acceptances.map(a => ({ ...a, history: byId.get(a.id) ?? [] }));
  }

  // History and aggregates

  async recordDailyDecision(
    entries: {
      entityRef: string;
      owner?: string;
      day: string;
      decision: ReleaseDecision | null;
      counts: SeverityCounts;
    }[],
  ): Promise<void> {
    for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
      const rows = entries.slice(i, i + INSERT_CHUNK).map(entry =>
        storableRow({
          entity_ref: entry.entityRef,
          day: entry.day,
          entity_owner: entry.owner ?? null,
          decision: entry.decision,
          ...countsToRow(entry.counts),
        }),
      );
      await this.db(HISTORY)
        .insert(rows)
        .onConflict(['entity_ref', 'day'])
        .merge([
          'entity_owner',
          'decision',
          ...SEVERITIES.map(s => `open_${s}`),
        ]);
    }
  }

  async teamOverviews(): Promise<TeamOverview[]> {
    return this.counters.teamOverviews();
  }

  async recountCounters(): Promise<void> {
    await this.counters.recountAll();
  }

  async teamOverview(owner: string): Promise<TeamOverview | undefined> {
    return this.counters.teamOverview(owner);
  }

  async countRequestedAcceptances(
    entityRefs: string[],
  ): Promise<Map<string, number>> {
    return this.counters.requestedAcceptances(entityRefs);
  }

  async teamTrend(owner: string, sinceDay: string): Promise<TeamTrendPoint[]> {
    const rows: any[] = await this.db(HISTORY)
      .where('entity_owner', owner)
      .where('day', '>=', sinceDay)
      .select('day')
      .sum(Object.fromEntries(SEVERITIES.map(s => [s, `open_${s}`])))
      .select(
        this.db.raw(
          "SUM(CASE WHEN decision = 'BLOCK' THEN 1 ELSE 0 END) AS blocked",
        ),
      )
      .groupBy('day')
      .orderBy('day');
    return rows.map(row => ({
      date: row.day,
      open: Object.fromEntries(
        SEVERITIES.map(s => [s, Number(row[s] ?? 0)]),
      ) as SeverityCounts,
      blockedEntities: Number(row.blocked ?? 0),
    }));
  }

  async topRules(owner: string, limit: number): Promise<TeamAggregateRow[]> {
    return this.counters.topRules(owner, limit);
  }

  async oldestOpenFindings(owner: string, limit: number): Promise<Finding[]> {
    const rows = await this.db(FINDINGS)
      .where({ entity_owner: owner, status: 'open' })
      .orderBy([
        { column: 'first_seen_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(findingFromRow);
  }

  async listOpenFindingsByRule(
    ruleIds: string[],
  ): Promise<(Finding & { entityOwner?: string })[]> {
    if (ruleIds.length === 0) return [];
    const rows = await this.db(FINDINGS)
      .whereIn('rule_id', ruleIds)
      .where('status', 'open')
      .orderBy([{ column: 'entity_ref' }, { column: 'first_seen_at' }]);
    return rows.map(findingFromRow);
  }

  async listFindingsOpenSince(
    before: string,
    limit: number,
  ): Promise<(Finding & { entityOwner?: string })[]> {
    const rows = await this.db(FINDINGS)
      .where('status', 'open')
      .where('first_seen_at', '<', before)
      .orderBy([{ column: 'first_seen_at' }, { column: 'id' }])
      .limit(limit);
    return rows.map(findingFromRow);
  }

  // Reports

  async insertReport(report: StaleImportReport): Promise<void> {
    await this.db(REPORTS).insert(
      storableRow({
        id: report.id,
        kind: 'stale-imports',
        period: report.period,
        generated_at: report.generatedAt,
        trigger: report.trigger,
        content: storableJson(report.teams),
      }),
    );
  }

  async listReports(): Promise<StaleImportReportMeta[]> {
    const rows = await this.db(REPORTS)
      .where('kind', 'stale-imports')
      .select('id', 'period', 'generated_at', 'trigger')
      .orderBy([
        { column: 'generated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return rows.map(row => ({
      id: row.id,
      period: row.period,
      generatedAt: row.generated_at,
      trigger: row.trigger,
    }));
  }

  async getReport(id: string): Promise<StaleImportReport | undefined> {
    const query = this.db(REPORTS).where('kind', 'stale-imports');
    if (id === 'latest')
      query.orderBy([
        { column: 'generated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    else query.where('id', id);
    const row = await query.first();
    if (!row) return undefined;
    return {
      id: row.id,
      period: row.period,
      generatedAt: row.generated_at,
      trigger: row.trigger,
      teams: parseJson(row.content, []),
    };
  }
}

function eventColumns(event: Omit<AcceptanceEvent, 'id' | 'acceptanceId'>) {
  return storableRow({
    action: event.action,
    actor: event.actor,
    at: event.at,
    comment: event.comment ?? null,
  });
}
