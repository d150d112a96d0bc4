// Scans' sightings of digests and their decisions: how versions enter and leave quarantine.
import { randomUUID } from 'node:crypto';
import type {
  ArtifactStage,
  EntityDecision,
} from '@ml-governance/plugin-ml-governance-common';
import type { PromotionStore, VersionSighting } from '../PromotionStore';
import { storableRow, storableText } from '../storableText';
import {
  PromotionModule,
  REJECTED,
  SIGNOFFS,
  SYSTEM_ACTOR,
  VERSIONS,
} from './PromotionModule';

/** What scans write into a {@link PromotionStore}. */
export type ScanObservations = Pick<
  PromotionStore,
  'recordSighting' | 'recordEvaluation'
>;

/** The knex implementation of {@link ScanObservations}. */
export class SightingsAndEvaluationsWriter
  extends PromotionModule
  implements ScanObservations
{
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
}
