import { randomUUID } from 'node:crypto';
import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import {
  SIGN_OFF_KINDS,
  type ArtifactStage,
  type ArtifactVersion,
  type EntityDecision,
  type Page,
  type PromotionEvent,
  type RejectedArtifact,
  type RejectedArtifactQuery,
} from '@ml-governance/plugin-ml-governance-common';
import { migrateWithRetry } from './migrateWithRetry';
import type {
  PromotionStore,
  RejectionWrite,
  SignOffWrite,
  VersionSighting,
} from './PromotionStore';
import { hydrateVersions, rejectedFromRow } from './promotionRows';
import {
  requarantineVersion,
  type RequarantineWrite,
} from './promotionRequarantine';
import {
  storableJson,
  storableRow,
  storableText,
  withStorableArguments,
} from './storableText';

const VERSIONS = 'mlgov_artifact_versions';
const SIGNOFFS = 'mlgov_promotion_signoffs';
const EVENTS = 'mlgov_promotion_events';
const REJECTED = 'mlgov_rejected_artifacts';

const SYSTEM_ACTOR = 'system:ml-governance';
/** Bound-parameter safety for `whereIn` on SQLite. */
const IN_CHUNK = 500;

const migrationsDir = resolvePackagePath(
  '@ml-governance/plugin-ml-governance-backend',
  'migrations',
);

function likePattern(text: string): string {
  return `%${storableText(text)
    .toLocaleLowerCase('en-US')
    .replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

type EventWrite = Omit<PromotionEvent, 'id' | 'versionId' | 'revision'>;

/** Thrown inside a transaction to roll it back when the transition's precondition no longer holds. */
class StaleTransition extends Error {}

/** The knex implementation of {@link PromotionStore}, portable across SQLite and PostgreSQL. */
export class DatabasePromotionStore implements PromotionStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    logger?: LoggerService;
  }): Promise<PromotionStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations)
      await migrateWithRetry(client, migrationsDir, { logger: options.logger });
    return withStorableArguments(new DatabasePromotionStore(client));
  }

  constructor(private readonly db: Knex) {}

  async recordSighting(sighting: VersionSighting): Promise<void> {
    const digest = storableText(sighting.digest);
    const entityRef = storableText(sighting.entityRef);
    // Fast path: the entity's current version seen again.
    const touched = await this.db(VERSIONS)
      .where({ entity_ref: entityRef, digest, is_current: true })
      .update({ last_seen_at: sighting.at });
    if (touched === 1) return;
    await this.db.transaction(async tx => {
      const existing = await tx(VERSIONS)
        .where({ entity_ref: entityRef, digest })
        .first();
      if (existing) {
        await tx(VERSIONS)
          .where('id', existing.id)
          .update({ last_seen_at: sighting.at, is_current: true });
      } else {
        const rejected = await tx(REJECTED).where('digest', digest).first();
        const newId = randomUUID();
        await tx(VERSIONS)
          .insert(
            storableRow({
              id: newId,
              entity_ref: entityRef,
              entity_kind: sighting.entityKind,
              entity_owner: sighting.entityOwner ?? null,
              target: sighting.target,
              digest,
              source: sighting.source,
              stage: rejected ? 'rejected' : 'quarantined',
              is_current: true,
              first_seen_at: sighting.at,
              last_seen_at: sighting.at,
              decided_at: rejected ? sighting.at : null,
              revision: rejected ? 2 : 1,
            }),
          )
          .onConflict(['entity_ref', 'digest'])
          .ignore();
        const stored = await tx(VERSIONS)
          .where({ entity_ref: entityRef, digest })
          .first();
        // Another replica recorded the same sighting first: theirs stands, with its events.
        if (stored.id !== newId) return;
        await this.insertEvent(tx, newId, 1, {
          action: 'recorded',
          actor: SYSTEM_ACTOR,
          at: sighting.at,
          toStage: 'quarantined',
          comment: `First seen at ${sighting.target}`,
        });
        if (rejected) {
          await this.insertEvent(tx, newId, 2, {
            action: 'rejected',
            actor: SYSTEM_ACTOR,
            at: sighting.at,
            fromStage: 'quarantined',
            toStage: 'rejected',
            comment: `Digest rejected under ${rejected.entity_ref} by ${rejected.rejected_by}: ${rejected.reason}`,
          });
        }
      }
      const current = await tx(VERSIONS)
        .where({ entity_ref: entityRef, digest })
        .first();
      await tx(VERSIONS)
        .where({ entity_ref: entityRef, target: storableText(sighting.target) })
        .whereNot('id', current.id)
        .update({ is_current: false });
    });
  }

  async recordEvaluation(input: {
    entityRef: string;
    digest: string;
    decision: EntityDecision;
    scanId?: string;
    at: string;
  }): Promise<void> {
    await this.db.transaction(async tx => {
      const row = await tx(VERSIONS)
        .where({
          entity_ref: storableText(input.entityRef),
          digest: storableText(input.digest),
        })
        .first();
      if (!row || row.stage === 'rejected') return;
      const base = {
        scan_id: input.scanId ?? null,
        evaluated_at: input.at,
      };
      if (row.stage === 'quarantined' || row.decision !== input.decision) {
        const next = Number(row.revision) + 1;
        const toStage: ArtifactStage =
          row.stage === 'quarantined' ? 'evaluated' : row.stage;
        const updated = await tx(VERSIONS)
          .where({ id: row.id, revision: row.revision })
          .update({
            ...base,
            stage: toStage,
            decision: input.decision,
            revision: next,
          });
        if (updated !== 1) return;
        let comment = `Decision ${input.decision}`;
        if (row.stage === 'evaluated') {
          // Sign-offs were given on other results: they do not carry over.
          const withdrawn = await tx(SIGNOFFS)
            .where('version_id', row.id)
            .delete();
          if (withdrawn > 0)
            comment += `; ${withdrawn} sign-off(s) withdrawn (given on decision ${row.decision})`;
        }
        await this.insertEvent(tx, row.id, next, {
          action: row.stage === 'quarantined' ? 'evaluated' : 're-evaluated',
          actor: SYSTEM_ACTOR,
          at: input.at,
          fromStage: row.stage,
          toStage,
          comment,
        });
      } else {
        await tx(VERSIONS).where('id', row.id).update(base);
      }
    });
  }

  async getVersion(id: string): Promise<ArtifactVersion | undefined> {
    const row = await this.db(VERSIONS).where('id', id).first();
    if (!row) return undefined;
    return (await hydrateVersions(this.db, [row]))[0];
  }

  async findVersion(
    entityRef: string,
    digest: string,
  ): Promise<ArtifactVersion | undefined> {
    const row = await this.db(VERSIONS)
      .where({
        entity_ref: storableText(entityRef),
        digest: storableText(digest),
      })
      .first();
    if (!row) return undefined;
    return (await hydrateVersions(this.db, [row]))[0];
  }

  async listVersions(entityRef: string): Promise<ArtifactVersion[]> {
    const rows = await this.db(VERSIONS)
      .where('entity_ref', storableText(entityRef))
      .orderBy([
        { column: 'last_seen_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ]);
    return hydrateVersions(this.db, rows);
  }

  async listAwaitingSignOff(): Promise<ArtifactVersion[]> {
    const rows = await this.db(VERSIONS)
      .where('stage', 'evaluated')
      .whereNotNull('requested_at')
      .orderBy([
        { column: 'requested_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return hydrateVersions(this.db, rows);
  }

  async requestPromotion(input: {
    id: string;
    revision: number;
    actor: string;
    at: string;
    comment?: string;
  }): Promise<ArtifactVersion | undefined> {
    const done = await this.db.transaction(async tx => {
      const updated = await tx(VERSIONS)
        .where({ id: input.id, revision: input.revision, stage: 'evaluated' })
        .whereNull('requested_at')
        .update({
          requested_by: storableText(input.actor),
          requested_at: input.at,
          request_comment:
            input.comment === undefined ? null : storableText(input.comment),
          revision: input.revision + 1,
        });
      if (updated !== 1) return false;
      await this.insertEvent(tx, input.id, input.revision + 1, {
        action: 'promotion-requested',
        actor: input.actor,
        at: input.at,
        fromStage: 'evaluated',
        toStage: 'evaluated',
        comment: input.comment,
      });
      return true;
    });
    return done ? this.getVersion(input.id) : undefined;
  }

  async signOff(
    input: SignOffWrite,
  ): Promise<{ version: ArtifactVersion; promoted: boolean } | undefined> {
    const outcome = await this.db.transaction(async tx => {
      // The conditional update takes the row lock (PostgreSQL) and fails for every caller but one
      // that saw this revision: concurrent sign-offs cannot both count.
      const signed = input.revision + 1;
      const updated = await tx(VERSIONS)
        .where({ id: input.id, revision: input.revision, stage: 'evaluated' })
        .whereNotNull('requested_at')
        .update({ revision: signed });
      if (updated !== 1) return undefined;
      await tx(SIGNOFFS).insert(
        storableRow({
          id: randomUUID(),
          version_id: input.id,
          kind: input.kind,
          actor: input.actor,
          at: input.at,
          comment: input.comment,
        }),
      );
      await this.insertEvent(tx, input.id, signed, {
        action: 'signed-off',
        actor: input.actor,
        at: input.at,
        fromStage: 'evaluated',
        toStage: 'evaluated',
        comment: `${input.kind}: ${input.comment}`,
      });
      const kinds = new Set(
        (await tx(SIGNOFFS).where('version_id', input.id).select('kind')).map(
          row => row.kind as string,
        ),
      );
      const version = await tx(VERSIONS).where('id', input.id).first();
      const rejected = await tx(REJECTED)
        .where('digest', version.digest)
        .first();
      if (!SIGN_OFF_KINDS.every(kind => kinds.has(kind)) || rejected)
        return { promoted: false };
      const promotedRevision = signed + 1;
      await tx(VERSIONS).where({ id: input.id, revision: signed }).update({
        stage: 'promoted',
        decided_at: input.at,
        revision: promotedRevision,
      });
      await this.insertEvent(tx, input.id, promotedRevision, {
        action: 'promoted',
        actor: input.actor,
        at: input.at,
        fromStage: 'evaluated',
        toStage: 'promoted',
        comment: 'Security and owner sign-offs complete',
      });
      return { promoted: true };
    });
    if (!outcome) return undefined;
    return {
      version: (await this.getVersion(input.id))!,
      promoted: outcome.promoted,
    };
  }

  async reject(input: RejectionWrite): Promise<
    | {
        version: ArtifactVersion;
        alsoRejected: ArtifactVersion[];
        logged: RejectedArtifact;
      }
    | undefined
  > {
    let outcome: { rejectedIds: string[]; logged: RejectedArtifact };
    try {
      outcome = await this.db.transaction(async tx => {
        const row = await tx(VERSIONS).where('id', input.id).first();
        if (!row) throw new StaleTransition();
        // The version itself, first and conditionally: a concurrent change (or an earlier
        // rejection) refuses the whole rejection, log entry included.
        if (!(await this.rejectRow(tx, row, input, input.revision)))
          throw new StaleTransition();
        await tx(REJECTED)
          .insert(
            storableRow({
              digest: row.digest,
              source: row.source,
              entity_ref: row.entity_ref,
              target: row.target,
              rule_ids: storableJson(input.ruleIds),
              rejected_by: input.actor,
              rejected_at: input.at,
              reason: input.reason,
              version_id: row.id,
            }),
          )
          .onConflict('digest')
          .ignore();
        const logged = await tx(REJECTED).where('digest', row.digest).first();
        // Every copy of the bytes, under any entity and in any stage, goes with it — whatever
        // happened to it meanwhile (the row lock orders a concurrent sign-off before or after).
        const rejectedIds = [row.id];
        const copies = await tx(VERSIONS)
          .where('digest', row.digest)
          .whereNot('stage', 'rejected');
        for (const copy of copies) {
          if (await this.rejectRow(tx, copy, input, undefined, row.entity_ref))
            rejectedIds.push(copy.id);
        }
        return { rejectedIds, logged: rejectedFromRow(logged) };
      });
    } catch (error) {
      if (error instanceof StaleTransition) return undefined;
      throw error;
    }
    const all = await hydrateVersions(
      this.db,
      await this.db(VERSIONS).whereIn('id', outcome.rejectedIds),
    );
    return {
      version: all.find(version => version.id === input.id)!,
      alsoRejected: all.filter(version => version.id !== input.id),
      logged: outcome.logged,
    };
  }

  async requarantine(
    input: RequarantineWrite,
  ): Promise<ArtifactVersion | undefined> {
    const id = await requarantineVersion(this.db, input);
    return id ? this.getVersion(id) : undefined;
  }

  async getRejected(digests: string[]): Promise<Map<string, RejectedArtifact>> {
    const found = new Map<string, RejectedArtifact>();
    const wanted = [...new Set(digests.map(storableText))];
    for (let i = 0; i < wanted.length; i += IN_CHUNK) {
      const rows = await this.db(REJECTED).whereIn(
        'digest',
        wanted.slice(i, i + IN_CHUNK),
      );
      for (const row of rows) found.set(row.digest, rejectedFromRow(row));
    }
    return found;
  }

  async listRejected(
    query: RejectedArtifactQuery,
  ): Promise<Page<RejectedArtifact>> {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    const base = this.db(REJECTED);
    if (query.entityRef)
      base.where('entity_ref', storableText(query.entityRef));
    if (query.q) {
      const pattern = likePattern(query.q);
      base.where(inner => {
        for (const column of [
          'digest',
          'entity_ref',
          'target',
          'reason',
          'rejected_by',
          'rule_ids',
        ])
          inner.orWhereRaw(`LOWER(??) LIKE ? ESCAPE '\\'`, [column, pattern]);
      });
    }
    const [{ count }] = await base.clone().count({ count: '*' });
    const rows = await base
      .orderBy([
        { column: 'rejected_at', order: 'desc' },
        { column: 'digest', order: 'asc' },
      ])
      .offset(offset)
      .limit(limit);
    return {
      items: rows.map(rejectedFromRow),
      totalCount: Number(count),
      offset,
      limit,
    };
  }

  /** Rejects one version row (at `revision` when given); false when it was already rejected or changed. */
  private async rejectRow(
    tx: Knex,
    row: any,
    input: RejectionWrite,
    revision: number | undefined,
    rejectedUnder?: string,
  ): Promise<boolean> {
    const query = tx(VERSIONS)
      .where('id', row.id)
      .whereNot('stage', 'rejected');
    if (revision !== undefined) query.where('revision', revision);
    const updated = await query.update({
      stage: 'rejected',
      decided_at: input.at,
      revision: tx.raw('?? + 1', ['revision']),
    });
    if (updated !== 1) return false;
    const { revision: next } = await tx(VERSIONS)
      .where('id', row.id)
      .first('revision');
    await this.insertEvent(tx, row.id, Number(next), {
      action: 'rejected',
      actor: input.actor,
      at: input.at,
      fromStage: row.stage,
      toStage: 'rejected',
      comment: rejectedUnder
        ? `Same digest rejected under ${rejectedUnder}: ${input.reason}`
        : input.reason,
    });
    return true;
  }

  private async insertEvent(
    tx: Knex,
    versionId: string,
    revision: number,
    event: EventWrite,
  ): Promise<void> {
    await tx(EVENTS).insert(
      storableRow({
        id: randomUUID(),
        version_id: versionId,
        revision,
        action: event.action,
        actor: event.actor,
        at: event.at,
        from_stage: event.fromStage ?? null,
        to_stage: event.toStage ?? null,
        comment: event.comment ?? null,
      }),
    );
  }
}
