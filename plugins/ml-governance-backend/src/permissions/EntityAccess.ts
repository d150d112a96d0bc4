import type {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  mlGovernanceEntityResourceRef,
  type MlGovernanceEntityResource,
} from './resource';

/** What permission checks need of an entity-scoped record (entity states, acceptances, findings). */
export interface EntityScoped {
  entityRef: string;
  /** Entity states carry `owner`; stored acceptances and findings carry `entityOwner`. */
  owner?: string;
  entityOwner?: string;
  kind?: string;
  entityKind?: string;
}

function toResource(item: EntityScoped): MlGovernanceEntityResource {
  return {
    entityRef: item.entityRef,
    kind: item.kind ?? item.entityKind ?? parseEntityRef(item.entityRef).kind,
    owner: item.owner ?? item.entityOwner,
  };
}

/**
 * The plugin's permission checks, shared by the HTTP routes and the assistant actions so both grant
 * exactly the same things. A resource permission is asked once per request (conditional decisions
 * are applied locally to each entity, so lists cost one policy call).
 */
export class EntityAccess {
  private readonly authorizeEntity: ReturnType<
    typeof createConditionAuthorizer<MlGovernanceEntityResource, unknown>
  >;

  constructor(
    private readonly permissions: PermissionsService,
    permissionsRegistry: PermissionsRegistryService,
  ) {
    this.authorizeEntity = createConditionAuthorizer(
      permissionsRegistry.getPermissionRuleset(mlGovernanceEntityResourceRef),
    );
  }

  /**
   * A predicate telling, per entity, whether the caller holds `permission` on it. An unconditional
   * DENY is a 403 at once: a caller who may see nothing at all (a gate-only CI token, say) is told
   * so instead of receiving a plausible empty list.
   */
  async filter(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ) {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    return (item: EntityScoped) =>
      this.authorizeEntity(decision, toResource(item));
  }

  /** Throws NotAllowedError unless the caller holds `permission` on `entity`. */
  async require(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    entity: EntityScoped,
  ) {
    const allowed = await this.filter(credentials, permission);
    if (!allowed(entity))
      throw new NotAllowedError(
        `Not allowed: ${permission.name} on ${entity.entityRef}`,
      );
  }

  async can(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  async requireBasic(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<void> {
    if (!(await this.can(credentials, permission)))
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
  }
}
