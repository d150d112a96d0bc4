import type { ReaderOptions } from '@ml-governance/scanner';
import type { EntityRecord } from '../database/MlGovernanceStore';

/**
 * Component types whose code runs as a service: every module of theirs is serving code, so writing
 * a pickled model there is the high-risk SOURCE-MODEL-EXPORT-PICKLE (blocks unless approved).
 */
const SERVING_COMPONENT_TYPES = new Set(['service', 'model-server']);

/**
 * The reader options of one entity's scan: the policy's, plus what the catalog says about the
 * entity. `spec.lifecycle` reaches the licence policy (production denies non-commercial and network
 * copyleft by default) unless the policy fixes `production` itself; a service or model server is
 * scanned as a serving project.
 */
export function entityReaderOptions(
  entity: Pick<EntityRecord, 'kind' | 'lifecycle' | 'type'>,
  policyOptions: ReaderOptions,
): ReaderOptions {
  const options: ReaderOptions = { ...policyOptions };
  const licences = policyOptions.licencePolicy;
  const policyDecides =
    typeof licences === 'object' &&
    licences !== null &&
    ('production' in licences || 'lifecycle' in licences);
  const wellFormed =
    licences === undefined ||
    (typeof licences === 'object' && licences !== null);
  // A malformed licence policy is passed on unchanged so the scan reports it.
  if (entity.lifecycle && wellFormed && !policyDecides)
    options.licencePolicy = {
      ...(licences as object | undefined),
      lifecycle: entity.lifecycle,
    };
  if (
    entity.kind === 'component' &&
    entity.type !== undefined &&
    SERVING_COMPONENT_TYPES.has(entity.type)
  )
    options.servingProject = true;
  return options;
}
