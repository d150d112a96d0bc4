import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  mlGovernanceAcceptanceDecidePermission,
  mlGovernanceAcceptanceRequestPermission,
  mlGovernanceFindingReadPermission,
  mlGovernanceGateReadPermission,
  mlGovernancePromotionApprovePermission,
  mlGovernancePromotionRequestPermission,
} from '@ml-governance/plugin-ml-governance-common';
import { MlGovernancePortalPolicy } from './permissionPolicy';

function user(ref: string, groups: string[]): PolicyQueryUser {
  return {
    credentials: {} as PolicyQueryUser['credentials'],
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
  };
}

describe('MlGovernancePortalPolicy', () => {
  const policy = new MlGovernancePortalPolicy(['group:default/ml-security']);
  const alice = user('user:default/alice', ['group:default/fraud-detection']);
  const bob = user('user:default/bob', ['group:default/ml-security']);
  const guest = user('user:development/guest', []);

  it('lets only approver groups decide', async () => {
    const decide = { permission: mlGovernanceAcceptanceDecidePermission };
    expect(await policy.handle(decide, bob)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle(decide, alice)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle(decide, guest)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('makes requests conditional on owning the entity', async () => {
    const decision = await policy.handle(
      { permission: mlGovernanceAcceptanceRequestPermission },
      alice,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'ml-governance',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: {
          claims: ['user:default/alice', 'group:default/fraud-detection'],
        },
      },
    });
  });

  it('gives the promotion security sign-off to approvers and requests to owners', async () => {
    const approve = { permission: mlGovernancePromotionApprovePermission };
    expect(await policy.handle(approve, bob)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle(approve, alice)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(
      await policy.handle(
        { permission: mlGovernancePromotionRequestPermission },
        alice,
      ),
    ).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_ENTITY_OWNER' },
    });
  });

  it('keeps the portal browsable, guests included', async () => {
    for (const permission of [
      mlGovernanceFindingReadPermission,
      mlGovernanceGateReadPermission,
    ]) {
      expect(await policy.handle({ permission }, guest)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('gives a guest, who owns nothing, no way to request an acceptance', async () => {
    const decision = await policy.handle(
      { permission: mlGovernanceAcceptanceRequestPermission },
      guest,
    );
    // Conditional on ownership of the entity, with only the guest's own ref as a claim: no entity in
    // the example organisation is owned by user:development/guest.
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: { claims: ['user:development/guest'] },
      },
    });
  });
});
