import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { mlGovernanceEntityResourceRef } from './resource';

/**
 * Matches entities owned by one of the given refs. Policies pass the user's ownership claims
 * (`user.info.ownershipEntityRefs`) so owners — and only owners — match.
 *
 * @public
 */
export const isEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description:
    'Allow entities owned by one of the given entity refs (e.g. the user ownership claims)',
  resourceRef: mlGovernanceEntityResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs, e.g. user:default/alice, group:default/fraud'),
  }),
  apply: (resource, { claims }) =>
    resource.owner !== undefined &&
    claims.some(
      claim =>
        claim.toLocaleLowerCase('en-US') ===
        resource.owner!.toLocaleLowerCase('en-US'),
    ),
  toQuery: ({ claims }) => ({ key: 'owner', values: claims }),
});

/**
 * Matches entities of the given kinds (`resource`, `component`).
 *
 * @public
 */
export const isEntityKind = createPermissionRule({
  name: 'IS_ENTITY_KIND',
  description: 'Allow entities of one of the given kinds',
  resourceRef: mlGovernanceEntityResourceRef,
  paramsSchema: z.object({
    kinds: z
      .array(z.string())
      .describe('Entity kinds, e.g. resource, component'),
  }),
  apply: (resource, { kinds }) =>
    kinds.some(
      kind =>
        kind.toLocaleLowerCase('en-US') ===
        resource.kind.toLocaleLowerCase('en-US'),
    ),
  toQuery: ({ kinds }) => ({
    key: 'kind',
    values: kinds.map(k => k.toLocaleLowerCase('en-US')),
  }),
});

/**
 * The permission rules on ML Governance entities (owner, kind).
 *
 * @public
 */
export const mlGovernanceEntityRules = { isEntityOwner, isEntityKind };
