import type {
  AuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { mlGovernanceFindingReadPermission } from '@ml-governance/plugin-ml-governance-common';
import type { MlGovernanceStore } from '../database/MlGovernanceStore';
import type { EntityAccess } from '../permissions/EntityAccess';
import { signerFromCredentials } from '../service/promotionRouter';
import type { PromotionService } from '../service/PromotionService';

export interface PromotionActionsOptions {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  userInfo: UserInfoService;
  access: EntityAccess;
  store: MlGovernanceStore;
  promotions: PromotionService;
}

/**
 * "Which promotions can I sign?" for assistants: the same list as the approvals inbox, with the
 * caller's own credentials and the same checks (finding.read on the entity, the sign-off rules).
 */
export function registerPromotionActions(
  options: PromotionActionsOptions,
): void {
  const { actionsRegistry, auth, userInfo, access, store, promotions } =
    options;
  actionsRegistry.register({
    name: 'list-promotions-to-sign',
    title: 'ML artifact promotions I can sign off',
    description: `Lists artifact versions awaiting promotion that the calling user may sign off now: the entity,
the digest, who requested it, the sign-offs given and which sign-off (security or owner) the user may give.
Never the user's own requests, never a second sign-off by the same person. Only for signed-in users.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          promotions: z.array(
            z.object({
              versionId: z.string(),
              entityRef: z.string(),
              digest: z.string(),
              requestedBy: z.string().optional(),
              requestedAt: z.string().optional(),
              signedOff: z.array(z.string()),
              canSignOff: z.array(z.enum(['security', 'owner'])),
            }),
          ),
        }),
    },
    action: async ({ credentials }) => {
      if (!auth.isPrincipal(credentials, 'user'))
        throw new NotAllowedError('Only a signed-in user can sign off');
      const readable = await access.filter(
        credentials,
        mlGovernanceFindingReadPermission,
      );
      const entities = new Map(
        (await store.listEntities())
          .filter(readable)
          .map(entity => [entity.entityRef, entity]),
      );
      const pending = await promotions.pendingFor(
        await signerFromCredentials(credentials, userInfo, access),
        entities,
      );
      return {
        output: {
          promotions: pending.map(version => ({
            versionId: version.id,
            entityRef: version.entityRef,
            digest: version.digest,
            requestedBy: version.promotionRequestedBy,
            requestedAt: version.promotionRequestedAt,
            signedOff: version.signOffs.map(s => `${s.kind}:${s.actor}`),
            canSignOff: version.canSignOff,
          })),
        },
      };
    },
  });
}
