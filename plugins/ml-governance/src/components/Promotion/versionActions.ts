import type { ArtifactVersion } from '@ml-governance/plugin-ml-governance-common';

export type VersionAction = 'request' | 'security' | 'owner' | 'reject';

export interface VersionActionContext {
  userEntityRef?: string;
  ownershipEntityRefs: string[];
  /** The entity's owner ref. */
  owner?: string;
  mayRequest: boolean;
  /** Holds ml-governance.promotion.approve. */
  securityApprover: boolean;
}

/**
 * The buttons a version shows for this user. The backend enforces the same rules (never the
 * requester, never both sign-offs by one person); hiding what would be refused keeps the page honest.
 */
export function versionActions(
  version: ArtifactVersion,
  context: VersionActionContext,
): VersionAction[] {
  const { userEntityRef: user, owner } = context;
  if (!user) return [];
  const owns = Boolean(owner && context.ownershipEntityRefs.includes(owner));
  const actions: VersionAction[] = [];
  const awaiting =
    version.stage === 'evaluated' && Boolean(version.promotionRequestedAt);
  if (
    version.stage === 'evaluated' &&
    version.current &&
    !version.promotionRequestedAt &&
    context.mayRequest
  )
    actions.push('request');
  const maySign =
    awaiting &&
    version.promotionRequestedBy !== user &&
    !version.signOffs.some(s => s.actor === user);
  const given = (kind: string) => version.signOffs.some(s => s.kind === kind);
  if (maySign && context.securityApprover && !given('security'))
    actions.push('security');
  if (maySign && owns && !given('owner')) actions.push('owner');
  if (version.stage !== 'rejected' && (context.securityApprover || owns))
    actions.push('reject');
  return actions;
}
