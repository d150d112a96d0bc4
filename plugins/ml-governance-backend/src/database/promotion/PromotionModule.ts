// Shared by the promotion store's modules: table names, the connection, the audit-event writer.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { PromotionEvent } from '@ml-governance/plugin-ml-governance-common';
import { storableRow } from '../storableText';

export const VERSIONS = 'mlgov_artifact_versions';
export const SIGNOFFS = 'mlgov_promotion_signoffs';
export const EVENTS = 'mlgov_promotion_events';
export const REJECTED = 'mlgov_rejected_artifacts';

export const SYSTEM_ACTOR = 'system:ml-governance';
/** Bound-parameter safety for `whereIn` on SQLite. */
export const IN_CHUNK = 500;

export type EventWrite = Omit<PromotionEvent, 'id' | 'versionId' | 'revision'>;

/** A module of `DatabasePromotionStore`, over the connection the store was made for. */
export abstract class PromotionModule {
  constructor(protected readonly db: Knex) {}

  protected async insertEvent(
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
