// Promotion transitions: request, sign-off (and promotion), rejection, requarantine.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  SIGN_OFF_KINDS,
  type ArtifactVersion,
  type RejectedArtifact,
} from '@ml-governance/plugin-ml-governance-common';
import type {
  PromotionStore,
  RejectionWrite,
  SignOffWrite,
} from '../PromotionStore';
import { hydrateVersions, rejectedFromRow } from '../promotionRows';
import {
  requarantineVersion,
  type RequarantineWrite,
} from '../promotionRequarantine';
import { storableJson, storableRow, storableText } from '../storableText';
import {
  PromotionModule,
  REJECTED,
  SIGNOFFS,
  VERSIONS,
} from './PromotionModule';
import type { VersionQueries } from './VersionQueries';

/** Thrown inside a transaction to roll it back when the transition's precondition no longer holds. */
class StaleTransition extends Error {}

/** A {@link PromotionStore}'s transitions, each one transaction checking where it starts from. */
export type VersionTransitions = Pick<
  PromotionStore,
  'requestPromotion' | 'signOff' | 'reject' | 'requarantine'
>;

/** The knex implementation of {@link VersionTransitions}; outcomes are read back via `versions`. */
export class PromotionTransitions
  extends PromotionModule
  implements VersionTransitions
{
  constructor(db: Knex, private readonly versions: VersionQueries) {
    super(db);
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
    return done ? this.versions.getVersion(input.id) : undefined;
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
      version: (await this.versions.getVersion(input.id))!,
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
    return id ? this.versions.getVersion(id) : undefined;
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
}
