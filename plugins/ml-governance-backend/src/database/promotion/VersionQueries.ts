// Reads of artifact versions, hydrated with their sign-offs and audit trail.
import type { ArtifactVersion } from '@ml-governance/plugin-ml-governance-common';
import type { PromotionStore } from '../PromotionStore';
import { hydrateVersions } from '../promotionRows';
import { storableText } from '../storableText';
import { PromotionModule, VERSIONS } from './PromotionModule';

/** The version lookups and lists of a {@link PromotionStore}. */
export type VersionReads = Pick<
  PromotionStore,
  'getVersion' | 'findVersion' | 'listVersions' | 'listAwaitingSignOff'
>;

/** The knex implementation of {@link VersionReads}. */
export class VersionQueries extends PromotionModule implements VersionReads {
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
}
