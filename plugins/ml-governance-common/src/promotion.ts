import type { AcceptanceWithHistory, EntityDecision } from './types';

/**
 * Stages of an artifact version (one digest under one entity): `quarantined` (seen, not evaluated),
 * `evaluated` (a scan finished and its decision is recorded), then `promoted` (two sign-offs on a
 * promotable decision) or `rejected` (final for the digest, under every entity).
 *
 * @public
 */
export type ArtifactStage =
  | 'quarantined'
  | 'evaluated'
  | 'promoted'
  | 'rejected';

/** @public */
export const ARTIFACT_STAGES: readonly ArtifactStage[] = [
  'quarantined',
  'evaluated',
  'promoted',
  'rejected',
];

/**
 * `security`: a holder of ml-governance.promotion.approve on the scan results; `owner`: an owner of the entity on functional testing.
 *
 * @public
 */
export type SignOffKind = 'security' | 'owner';

/** @public */
export const SIGN_OFF_KINDS: readonly SignOffKind[] = ['security', 'owner'];

/**
 * Where a digest comes from, by the scan target's scheme.
 *
 * @public
 */
export type ArtifactSource =
  | 'files'
  | 'huggingface'
  | 'mlflow'
  | 's3'
  | 'url'
  | 'image'
  | 'model-api'
  | 'other';

/** @public */
export interface PromotionSignOff {
  kind: SignOffKind;
  actor: string;
  at: string;
  comment: string;
}

/** @public */
export type PromotionAction =
  | 'recorded'
  | 'evaluated'
  | 're-evaluated'
  | 'promotion-requested'
  | 'signed-off'
  | 'promoted'
  | 'rejected'
  | 'requarantined';

/**
 * One entry of a version's audit trail.
 *
 * @public
 */
export interface PromotionEvent {
  id: string;
  versionId: string;
  /** The version's revision after this event. */
  revision: number;
  action: PromotionAction;
  actor: string;
  at: string;
  fromStage?: ArtifactStage;
  toStage?: ArtifactStage;
  comment?: string;
}

/** @public */
export interface ArtifactVersion {
  id: string;
  entityRef: string;
  target: string;
  digest: string;
  source: ArtifactSource;
  stage: ArtifactStage;
  /** The entity's decision when the version was last evaluated. */
  decision?: EntityDecision;
  scanId?: string;
  /** The entity's target still resolves to this digest. */
  current: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  evaluatedAt?: string;
  promotionRequestedBy?: string;
  promotionRequestedAt?: string;
  requestComment?: string;
  /** When it was promoted or rejected. */
  decidedAt?: string;
  /** Bumped by every transition; sign-offs and requests name the revision they saw. */
  revision: number;
  signOffs: PromotionSignOff[];
  history: PromotionEvent[];
}

/**
 * An entry of the rejected-artifact log: the digest is refused everywhere, for good.
 *
 * @public
 */
export interface RejectedArtifact {
  digest: string;
  source: ArtifactSource;
  entityRef: string;
  target: string;
  /** Rules of the findings open on the version when it was rejected. */
  ruleIds: string[];
  rejectedBy: string;
  rejectedAt: string;
  reason: string;
  versionId: string;
}

/** @public */
export interface RejectedArtifactQuery {
  /** Free text over digest, entity, target, reason, who rejected. */
  q?: string;
  entityRef?: string;
  offset?: number;
  limit?: number;
}

/** @public */
export interface PromotionRequestInput {
  revision: number;
  comment?: string;
}

/** @public */
export interface PromotionSignOffInput {
  kind: SignOffKind;
  revision: number;
  comment: string;
}

/** @public */
export interface PromotionRejectInput {
  reason: string;
  revision?: number;
}

/**
 * The gate's answer about one digest (`GET /gate/...?digest=`): PASS only when promoted.
 *
 * @public
 */
export interface PromotionGateStatus {
  digest: string;
  /** `unknown`: no scan of this entity has seen the digest. */
  stage: ArtifactStage | 'unknown';
  promoted: boolean;
  versionId?: string;
  signOffs: PromotionSignOff[];
  /** Sign-offs still missing (when awaiting them). */
  missingSignOffs: SignOffKind[];
  promotionRequested: boolean;
  /** Set when the digest is in the rejected-artifact log (under any entity). */
  rejected?: Pick<
    RejectedArtifact,
    'entityRef' | 'rejectedBy' | 'rejectedAt' | 'reason'
  >;
}

/**
 * A pending promotion in the approvals inbox, with the sign-offs the caller may still give.
 *
 * @public
 */
export interface PendingPromotion extends ArtifactVersion {
  canSignOff: SignOffKind[];
  canReject: boolean;
}

/**
 * The approvals inbox: promotions and acceptances the caller can decide, together.
 *
 * @public
 */
export interface ApprovalsInbox {
  promotions: PendingPromotion[];
  acceptances: AcceptanceWithHistory[];
}
