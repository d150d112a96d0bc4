import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ARTIFACTS,
  ANNOTATION_IMAGE,
  ANNOTATION_MODEL_API,
  ANNOTATION_SOURCE,
  ANNOTATION_SOURCE_LOCATION,
  ML_ENTITY_FILTER,
} from '@ml-governance/plugin-ml-governance-common';

/**
 * Whether the entity is of a kind/type the suite governs (models and model servers), whether or not
 * it is set up yet. Entity pages show the card and tab on these, with a setup hint when needed.
 *
 * @public
 */
export function isMlEntity(entity: Entity): boolean {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const type = String(
    (entity.spec as { type?: unknown } | undefined)?.type ?? '',
  );
  return ML_ENTITY_FILTER.some(
    filter =>
      filter.kind.toLocaleLowerCase('en-US') === kind &&
      filter['spec.type'].includes(type),
  );
}

/**
 * Whether the entity tells the scanner what to scan: its artifacts, its images, its ML sources, or at least its
 * source location.
 *
 * @public
 */
export function isMlGovernanceAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return [
    ANNOTATION_ARTIFACTS,
    ANNOTATION_IMAGE,
    ANNOTATION_SOURCE,
    ANNOTATION_SOURCE_LOCATION,
  ].some(name => Boolean(annotations[name]?.trim()));
}

/**
 * Whether the entity is a Group (the team risk tab).
 *
 * @public
 */
export function isGroupEntity(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'group';
}

/**
 * Whether the entity declares a third-party model API to probe (`ml-governance.io/model-api`): the
 * probe card shows on these.
 *
 * @public
 */
export function isModelApiAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_MODEL_API]?.trim());
}
