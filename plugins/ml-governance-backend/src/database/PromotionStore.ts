import type {
  ArtifactSource,
  ArtifactVersion,
  EntityDecision,
  Page,
  RejectedArtifact,
  RejectedArtifactQuery,
  SignOffKind,
} from '@ml-governance/plugin-ml-governance-common';
import type { RequarantineWrite } from './promotionRequarantine';

/** A digest a scan resolved for one of an entity's targets. */
export interface VersionSighting {
  entityRef: string;
  entityKind: string;
  entityOwner?: string;
  target: string;
  digest: string;
  source: ArtifactSource;
  at: string;
}

export interface SignOffWrite {
  id: string;
  /** The revision the signer saw; the sign-off is refused if the version changed since. */
  revision: number;
  kind: SignOffKind;
  actor: string;
  at: string;
  comment: string;
}

export interface RejectionWrite {
  id: string;
  /** When given, the rejection is refused if the version changed since. */
  revision?: number;
  actor: string;
  at: string;
  reason: string;
  ruleIds: string[];
}

/**
 * Persistence of artifact promotion (docs/promotion.md). Every transition is one transaction that
 * checks the stage (and revision) it starts from, so concurrent callers get exactly one outcome:
 * the others see `undefined` and must reload.
 */
export interface PromotionStore {
  /**
   * Records that a scan resolved `digest` for the entity's target: a new version starts
   * `quarantined` (or `rejected` at once when the digest is in the rejected-artifact log); the
   * entity's other versions of that target stop being current. A sighting of the current version
   * (the common, unchanged case) costs one statement.
   */
  recordSighting(sighting: VersionSighting): Promise<void>;
  /**
   * A committed scan's decision for a version: quarantined → evaluated; an evaluated version whose
   * decision changed is re-evaluated and loses the sign-offs given on the earlier results.
   * Rejected versions are left as they are, and so is a version that does not exist. An unchanged
   * decision costs two statements.
   */
  recordEvaluation(input: {
    entityRef: string;
    digest: string;
    decision: EntityDecision;
    scanId?: string;
    at: string;
  }): Promise<void>;
  getVersion(id: string): Promise<ArtifactVersion | undefined>;
  findVersion(
    entityRef: string,
    digest: string,
  ): Promise<ArtifactVersion | undefined>;
  /** Newest first. */
  listVersions(entityRef: string): Promise<ArtifactVersion[]>;
  /** Evaluated versions whose promotion was requested: what sign-off inboxes show. */
  listAwaitingSignOff(): Promise<ArtifactVersion[]>;
  /** evaluated → evaluated with a promotion request; undefined if stage or revision no longer match. */
  requestPromotion(input: {
    id: string;
    revision: number;
    actor: string;
    at: string;
    comment?: string;
  }): Promise<ArtifactVersion | undefined>;
  /**
   * Adds a sign-off to a requested, evaluated version at `revision`; when both kinds are then
   * present and the digest is not rejected, the version is promoted in the same transaction.
   * Undefined when the version changed (another sign-off, a rejection, a re-evaluation) meanwhile.
   */
  signOff(
    input: SignOffWrite,
  ): Promise<{ version: ArtifactVersion; promoted: boolean } | undefined>;
  /**
   * Rejects the version and every other version of the same digest under any entity, and logs the
   * digest. Undefined when the version was already rejected (or changed from `revision`).
   */
  reject(input: RejectionWrite): Promise<
    | {
        version: ArtifactVersion;
        /** The copies under other entities rejected with it. */
        alsoRejected: ArtifactVersion[];
        logged: RejectedArtifact;
      }
    | undefined
  >;
  /**
   * An evaluated or promoted version back to `quarantined` (sign-offs and request withdrawn), e.g.
   * when the model API prober sees drift. Undefined when the version is not evaluated or promoted.
   */
  requarantine(input: RequarantineWrite): Promise<ArtifactVersion | undefined>;
  getRejected(digests: string[]): Promise<Map<string, RejectedArtifact>>;
  listRejected(query: RejectedArtifactQuery): Promise<Page<RejectedArtifact>>;
}
