import {
  getCompoundEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  CATALOG_FILTER_EXISTS,
  type EntityFilterQuery,
} from '@backstage/catalog-client';
import {
  ANNOTATION_ARTIFACTS,
  ANNOTATION_POLICY,
  ANNOTATION_SHA256,
  ANNOTATION_SOURCE,
  ML_ENTITY_FILTER,
} from '@ml-governance/plugin-ml-governance-common';
import type { EntityRecord } from '../../database/MlGovernanceStore';
import { MODEL_API_CATALOG_FILTER } from '../../modelApis/catalogFilter';
import { declaredTargetsOf, entityTargets } from '../../scanning/entityTargets';
import type { ScanServiceOptions } from './ScanServiceOptions';

const CATALOG_PAGE_SIZE = 200;

/** Reads every ML entity from the catalog (cursor pages) into the store; returns how many. */
export async function syncCatalogEntities(
  options: Pick<
    ScanServiceOptions,
    'catalog' | 'auth' | 'store' | 'clock' | 'logger'
  >,
): Promise<number> {
  const { catalog, auth, store, clock } = options;
  const credentials = await auth.getOwnServiceCredentials();
  const syncedAt = clock().toISOString();
  const filter: EntityFilterQuery = [
    ...ML_ENTITY_FILTER,
    {
      [`metadata.annotations.${ANNOTATION_ARTIFACTS}`]: CATALOG_FILTER_EXISTS,
    },
    { [`metadata.annotations.${ANNOTATION_SOURCE}`]: CATALOG_FILTER_EXISTS },
    // Model APIs are synced too: their versions and probe series hang off the entity.
    ...MODEL_API_CATALOG_FILTER,
  ];
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, limit: CATALOG_PAGE_SIZE }
        : { filter, limit: CATALOG_PAGE_SIZE },
      { credentials },
    );
    const records = page.items.map(toEntityRecord);
    await store.upsertEntities(records, syncedAt);
    count += records.length;
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  const removed = await store.removeEntitiesNotSyncedSince(syncedAt);
  if (removed > 0)
    options.logger.info(`Forgot ${removed} entities no longer in the catalog`);
  return count;
}

function parsePinnedHashes(value: string | undefined): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const [path, hex] = pair.split('=').map(part => part?.trim());
    if (path && hex) hashes[path] = hex.toLowerCase();
  }
  return hashes;
}

export function toEntityRecord(entity: Entity): EntityRecord {
  const annotations = entity.metadata.annotations ?? {};
  const owner = entity.relations?.find(
    relation => relation.type === 'ownedBy',
  )?.targetRef;
  return {
    entityRef: stringifyEntityRef(getCompoundEntityRef(entity)),
    kind: entity.kind.toLocaleLowerCase('en-US'),
    owner:
      owner ??
      (typeof entity.spec?.owner === 'string'
        ? normaliseOwner(entity.spec.owner, entity)
        : undefined),
    policyName: annotations[ANNOTATION_POLICY],
    targets: entityTargets(entity),
    declaredTargets: declaredTargetsOf(entity),
    pinnedHashes: parsePinnedHashes(annotations[ANNOTATION_SHA256]),
    lifecycle: specString(entity, 'lifecycle'),
    type: specString(entity, 'type'),
  };
}

function specString(entity: Entity, field: string): string | undefined {
  const value = entity.spec?.[field];
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim().toLocaleLowerCase('en-US').slice(0, 64)
    : undefined;
}

function normaliseOwner(owner: string, entity: Entity): string {
  if (owner.includes(':'))
    return owner.includes('/') ? owner : owner.replace(':', ':default/');
  return `group:${entity.metadata.namespace ?? 'default'}/${owner}`;
}
