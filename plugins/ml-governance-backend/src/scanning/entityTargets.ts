import { dirname, isAbsolute, resolve } from 'node:path';
import { ANNOTATION_LOCATION, type Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ARTIFACTS,
  ANNOTATION_IMAGE,
  ANNOTATION_SOURCE,
  ANNOTATION_SOURCE_LOCATION,
} from '@ml-governance/plugin-ml-governance-common';

/** Splits a `url:`/`file:` annotation value (comma-separated) into target strings. */
function splitTargets(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(part => part.trim())
    .filter(Boolean);
}

/**
 * The targets of an entity, normalised so a scan needs nothing but the string: `url:<absolute url>`
 * or `file:<absolute path>`. Relative `file:` targets resolve against the directory of the entity's
 * own catalog file (`backstage.io/managed-by-location`). A target in another syntax is kept as is so
 * an extension resolver may claim it (or the scan records it as unreadable).
 */
export function entityTargets(entity: Entity): string[] {
  return [...new Set(declaredEntityTargets(entity).map(each => each.target))];
}

/**
 * Each target of an entity (as {@link entityTargets} resolves it) with the annotation value it came
 * from, as the owner wrote it: what scan history shows, since `file:./models` is what the owner
 * knows and the resolved server path is shown only redacted.
 */
export function declaredTargetsOf(entity: Entity): Record<string, string> {
  const declared: Record<string, string> = {};
  for (const each of declaredEntityTargets(entity))
    declared[each.target] ??= each.declared;
  return declared;
}

function declaredEntityTargets(
  entity: Entity,
): Array<{ target: string; declared: string }> {
  const annotations = entity.metadata.annotations ?? {};
  const declared = [
    ...splitTargets(annotations[ANNOTATION_ARTIFACTS]),
    ...splitTargets(annotations[ANNOTATION_SOURCE]),
  ];
  const targets =
    declared.length > 0
      ? declared
      : splitTargets(annotations[ANNOTATION_SOURCE_LOCATION]);
  const location = annotations[ANNOTATION_LOCATION];
  // Images are targets of their own: a service with only an image still gets its source default.
  const images = splitTargets(annotations[ANNOTATION_IMAGE]).map(image => ({
    target: image.startsWith('oci://') ? image : `oci://${image}`,
    declared: image,
  }));
  return [
    ...targets.map(value => ({
      target: normaliseTarget(value, location),
      declared: value,
    })),
    ...images,
  ];
}

function normaliseTarget(
  target: string,
  managedByLocation: string | undefined,
): string {
  if (!target.startsWith('file:')) return target;
  const path = target.slice('file:'.length);
  if (isAbsolute(path)) return `file:${resolve(path)}`;
  if (managedByLocation?.startsWith('file:')) {
    return `file:${resolve(
      dirname(managedByLocation.slice('file:'.length)),
      path,
    )}`;
  }
  // A relative file target without a file location cannot be placed; keep it so the scan reports it.
  return target;
}
