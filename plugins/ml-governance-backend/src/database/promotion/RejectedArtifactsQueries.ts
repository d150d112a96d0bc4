// The rejected-artifact log: lookups by digest and the searchable, paged list.
import type {
  Page,
  RejectedArtifact,
  RejectedArtifactQuery,
} from '@ml-governance/plugin-ml-governance-common';
import type { PromotionStore } from '../PromotionStore';
import { rejectedFromRow } from '../promotionRows';
import { likePattern, storableText } from '../storableText';
import { IN_CHUNK, PromotionModule, REJECTED } from './PromotionModule';

/** The rejected-artifact log of a {@link PromotionStore}. */
export type RejectedArtifactLog = Pick<
  PromotionStore,
  'getRejected' | 'listRejected'
>;

/** The knex implementation of {@link RejectedArtifactLog}. */
export class RejectedArtifactsQueries
  extends PromotionModule
  implements RejectedArtifactLog
{
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
}
