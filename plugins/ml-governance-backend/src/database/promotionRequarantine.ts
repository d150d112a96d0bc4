import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { storableRow, storableText } from './storableText';

const VERSIONS = 'mlgov_artifact_versions';
const SIGNOFFS = 'mlgov_promotion_signoffs';
const EVENTS = 'mlgov_promotion_events';

export interface RequarantineWrite {
  entityRef: string;
  digest: string;
  actor: string;
  at: string;
  reason: string;
}

/**
 * Puts an evaluated or promoted version back into quarantine (the model API prober's alerts, docs/
 * model-apis.md): its promotion request and sign-offs are withdrawn, so it has to be re-evaluated
 * and promoted again by two people. Conditional on the revision read, in one transaction: a
 * concurrent transition makes this a no-op. Returns the version's id when it moved.
 */
export async function requarantineVersion(
  db: Knex,
  input: RequarantineWrite,
): Promise<string | undefined> {
  return db.transaction(async tx => {
    const row = await tx(VERSIONS)
      .where({
        entity_ref: storableText(input.entityRef),
        digest: storableText(input.digest),
      })
      .first();
    if (!row || (row.stage !== 'evaluated' && row.stage !== 'promoted'))
      return undefined;
    const next = Number(row.revision) + 1;
    const updated = await tx(VERSIONS)
      .where({ id: row.id, revision: row.revision, stage: row.stage })
      .update({
        stage: 'quarantined',
        requested_by: null,
        requested_at: null,
        request_comment: null,
        decided_at: null,
        revision: next,
      });
    if (updated !== 1) return undefined;
    const withdrawn = await tx(SIGNOFFS).where('version_id', row.id).delete();
    await tx(EVENTS).insert(
      storableRow({
        id: randomUUID(),
        version_id: row.id,
        revision: next,
        action: 'requarantined',
        actor: input.actor,
        at: input.at,
        from_stage: row.stage,
        to_stage: 'quarantined',
        comment: `${input.reason.slice(0, 3000)}${
          withdrawn > 0 ? `; ${withdrawn} sign-off(s) withdrawn` : ''
        }`,
      }),
    );
    return row.id as string;
  });
}
