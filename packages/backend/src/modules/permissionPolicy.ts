import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createMlGovernanceConditionalDecision,
  mlGovernanceConditions,
} from '@ml-governance/plugin-ml-governance-backend';
import {
  mlGovernanceAcceptanceDecidePermission,
  mlGovernanceAcceptanceRequestPermission,
  mlGovernancePromotionApprovePermission,
  mlGovernancePromotionRequestPermission,
  mlGovernanceScanReportPermission,
} from '@ml-governance/plugin-ml-governance-common';

/**
 * The example portal's policy:
 * - deciding risk acceptances and the security sign-off of promotions are for the approver groups (`mlGovernance.approvers`, by default
 *   `group:default/ml-security`) — the plugin itself also refuses anyone deciding their own request;
 * - requesting an acceptance or a promotion and reporting a CI scan are for the owners of the entity (the user's
 *   ownership claims);
 * - everything else (catalog reads, ML Governance reads and gate, rescans, reports) is allowed, so guests
 *   can browse. The guest user owns nothing (examples/org.yaml), so guests cannot file requests.
 *
 * Service principals (plugins, CI tokens) never reach a policy: Backstage decides them from the token's
 * `accessRestrictions` (docs/security.md), which is how the CI gate token is confined to the gate.
 */
export class MlGovernancePortalPolicy implements PermissionPolicy {
  constructor(private readonly approverGroups: string[]) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (
      isPermission(
        request.permission,
        mlGovernanceAcceptanceDecidePermission,
      ) ||
      isPermission(request.permission, mlGovernancePromotionApprovePermission)
    ) {
      const approver = claims.some(claim =>
        this.approverGroups.includes(claim),
      );
      return {
        result: approver ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }
    if (
      isPermission(
        request.permission,
        mlGovernanceAcceptanceRequestPermission,
      ) ||
      isPermission(
        request.permission,
        mlGovernancePromotionRequestPermission,
      ) ||
      isPermission(request.permission, mlGovernanceScanReportPermission)
    ) {
      return createMlGovernanceConditionalDecision(
        request.permission,
        mlGovernanceConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'ml-governance-portal-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const approvers = config.getOptionalStringArray(
          'mlGovernance.approvers',
        ) ?? ['group:default/ml-security'];
        policy.setPolicy(new MlGovernancePortalPolicy(approvers));
      },
    });
  },
});
