import type { Knex } from 'knex';
import type {
  ArtifactVersion,
  PromotionEvent,
  PromotionSignOff,
  RejectedArtifact,
} from '@ml-governance/plugin-ml-governance-common';

/** Rows of the promotion tables as domain objects (DatabasePromotionStore). */

const SIGNOFFS = 'mlgov_promotion_signoffs';
const EVENTS = 'mlgov_promotion_events';
/** Bound-parameter safety for `whereIn` on SQLite. */
const IN_CHUNK = 500;

function optional<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

export function rejectedFromRow(row: any): RejectedArtifact {
  return {
    digest: row.digest,
    source: row.source,
    entityRef: row.entity_ref,
    target: row.target,
    ruleIds: JSON.parse(row.rule_ids ?? '[]'),
    rejectedBy: row.rejected_by,
    rejectedAt: row.rejected_at,
    reason: row.reason,
    versionId: row.version_id,
  };
}

/** Rows to versions, with their sign-offs and audit trail (two queries per 500 versions). */
export async function hydrateVersions(
  db: Knex,
  rows: any[],
): Promise<ArtifactVersion[]> {
  const ids = rows.map(row => row.id as string);
  const signOffs = new Map<string, PromotionSignOff[]>();
  const history = new Map<string, PromotionEvent[]>();
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const chunk = ids.slice(i, i + IN_CHUNK);
    for (const row of await db(SIGNOFFS)
      .whereIn('version_id', chunk)
      .orderBy([
        { column: 'at', order: 'asc' },
        { column: 'kind', order: 'asc' },
      ])) {
      signOffs.set(row.version_id, [
        ...(signOffs.get(row.version_id) ?? []),
        {
          kind: row.kind,
          actor: row.actor,
          at: row.at,
          comment: row.comment,
        },
      ]);
    }
    for (const row of await db(EVENTS)
      .whereIn('version_id', chunk)
      .orderBy([
        { column: 'revision', order: 'asc' },
        { column: 'at', order: 'asc' },
      ])) {
      history.set(row.version_id, [
        ...(history.get(row.version_id) ?? []),
        {
          id: row.id,
          versionId: row.version_id,
          revision: Number(row.revision),
          action: row.action,
          actor: row.actor,
          at: row.at,
          fromStage: optional(row.from_stage),
          toStage: optional(row.to_stage),
          comment: optional(row.comment),
        },
      ]);
    }
  }
  return rows.map(row => ({
    id: row.id,
    entityRef: row.entity_ref,
    target: row.target,
    digest: row.digest,
    source: row.source,
    stage: row.stage,
    decision: optional(row.decision),
    scanId: optional(row.scan_id),
    current: Boolean(row.is_current),
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    evaluatedAt: optional(row.evaluated_at),
    promotionRequestedBy: optional(row.requested_by),
    promotionRequestedAt: optional(row.requested_at),
    requestComment: optional(row.request_comment),
    decidedAt: optional(row.decided_at),
    revision: Number(row.revision),
    signOffs: signOffs.get(row.id) ?? [],
    history: history.get(row.id) ?? [],
  }));
}
