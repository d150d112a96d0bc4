import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  ArtifactVersion,
  GateResponse,
  PromotionGateStatus,
  PromotionRejectInput,
  PromotionRequestInput,
  PromotionSignOffInput,
  RejectedArtifact,
  ScanTargetResult,
  SignOffKind,
} from '@ml-governance/plugin-ml-governance-common';
import { SIGN_OFF_KINDS } from '@ml-governance/plugin-ml-governance-common';
import type {
  EntityState,
  MlGovernanceStore,
  ScannedFinding,
} from '../database/MlGovernanceStore';
import type { PromotionStore } from '../database/PromotionStore';
import {
  movingReference,
  sourceOfTarget,
  versionDigest,
} from '../promotion/artifactReferences';
import {
  movingReferenceFinding,
  rejectedArtifactFinding,
} from '../promotion/intakeFindings';
import type { DecisionService } from './DecisionService';
import type { PromotionNotifier } from './PromotionNotifier';
import type { Clock } from './clock';

export interface PromotionServiceOptions {
  store: MlGovernanceStore;
  promotions: PromotionStore;
  decisions: DecisionService;
  notifier: PromotionNotifier;
  clock: Clock;
  logger: LoggerService;
  /** Groups told about new promotion requests (`mlGovernance.approvers`). */
  approvers: string[];
}

/** What the router learnt about the caller: who, and in which roles. */
export interface Signer {
  userRef: string;
  /** Holds ml-governance.promotion.approve. */
  securityApprover: boolean;
  /** The caller's ownership claims (user and groups). */
  ownershipRefs: string[];
}

/**
 * The intake lifecycle of artifact versions: quarantined → evaluated → promoted | rejected
 * (docs/promotion.md). Permission checks happen in the router; the rules that hold whatever the
 * permission policy says live here: promotion needs a promotable decision and two sign-offs by two
 * different people other than the requester; rejection is final for the digest under every entity.
 */
export class PromotionService {
  constructor(private readonly options: PromotionServiceOptions) {}

  // Hooks called by ScanService (kept there to two lines).

  /**
   * A scan resolved `digest` for `target`: records the version (quarantined until the scan is
   * committed) and returns the intake findings — the digest is in the rejected-artifact log, or the
   * target names a moving reference. A failing lookup throws, so the target counts as unreadable:
   * an unconsulted log is never a PASS.
   */
  async onTargetResolved(
    entity: EntityState,
    target: string,
    rawDigest: string,
  ): Promise<ScannedFinding[]> {
    const { promotions, clock } = this.options;
    const digest = versionDigest(rawDigest);
    await promotions.recordSighting({
      entityRef: entity.entityRef,
      entityKind: entity.kind,
      entityOwner: entity.owner,
      target,
      digest,
      source: sourceOfTarget(target),
      at: clock().toISOString(),
    });
    const findings: ScannedFinding[] = [];
    const rejected = (await promotions.getRejected([digest])).get(digest);
    if (rejected) findings.push(rejectedArtifactFinding(target, rejected));
    const moving = movingReference(target);
    if (moving) findings.push(movingReferenceFinding(target, moving));
    return findings;
  }

  /**
   * The intake findings of the entity's targets at their last known digests, without recording
   * anything: what a CI upload (which knows no digests) must keep, so it cannot clear them.
   */
  async intakeFindings(entity: EntityState): Promise<ScannedFinding[]> {
    const digests = Object.entries(entity.targetDigests).map(
      ([target, digest]) => [target, versionDigest(digest)] as const,
    );
    const rejected = await this.options.promotions.getRejected(
      digests.map(([, digest]) => digest),
    );
    const findings: ScannedFinding[] = [];
    for (const [target, digest] of digests) {
      const entry = rejected.get(digest);
      if (entry) findings.push(rejectedArtifactFinding(target, entry));
    }
    for (const target of entity.targets) {
      const moving = movingReference(target);
      if (moving) findings.push(movingReferenceFinding(target, moving));
    }
    return findings;
  }

  /**
   * After a scan committed: each target read (or unchanged) at a digest is evaluated with the
   * entity's decision. Failures are logged: the version stays quarantined, which the gate refuses.
   */
  async onScanCommitted(
    entityRef: string,
    targets: ScanTargetResult[],
  ): Promise<void> {
    const { store, promotions, clock, logger } = this.options;
    try {
      const entity = await store.getEntity(entityRef);
      if (!entity?.lastScannedAt || entity.decision === 'UNKNOWN') return;
      for (const target of targets) {
        if (target.status === 'failed' || !target.version) continue;
        await promotions.recordEvaluation({
          entityRef,
          digest: versionDigest(target.version),
          decision: entity.decision,
          scanId: entity.lastScanId,
          at: clock().toISOString(),
        });
      }
    } catch (error) {
      logger.warn(
        `Could not record the evaluated artifact versions of ${entityRef}: ${error}`,
      );
    }
  }

  // Reads

  async listVersions(entity: EntityState): Promise<ArtifactVersion[]> {
    return this.options.promotions.listVersions(entity.entityRef);
  }

  async requireVersion(id: string): Promise<ArtifactVersion> {
    const version = await this.options.promotions.getVersion(id);
    if (!version) throw new NotFoundError(`No artifact version ${id}`);
    return version;
  }

  /** Versions awaiting sign-off that this caller could still sign, with what they may do. */
  async pendingFor(
    signer: Signer,
    entities: Map<string, EntityState>,
  ): Promise<
    (ArtifactVersion & { canSignOff: SignOffKind[]; canReject: boolean })[]
  > {
    const pending = await this.options.promotions.listAwaitingSignOff();
    return pending.flatMap(version => {
      const entity = entities.get(version.entityRef);
      if (!entity) return [];
      const canSignOff = SIGN_OFF_KINDS.filter(
        kind => !this.signOffRefusal(version, entity, kind, signer),
      );
      const canReject = this.mayReject(entity, signer);
      return canSignOff.length > 0
        ? [{ ...version, canSignOff, canReject }]
        : [];
    });
  }

  // Transitions

  async requestPromotion(
    entity: EntityState,
    versionId: string,
    input: PromotionRequestInput,
    actor: string,
  ): Promise<ArtifactVersion> {
    const { promotions, clock, notifier, approvers } = this.options;
    const version = await this.versionOf(entity, versionId);
    if (version.stage !== 'evaluated')
      throw new ConflictError(
        `Version ${versionId} is ${version.stage}; only an evaluated version can be promoted`,
      );
    if (version.promotionRequestedAt)
      throw new ConflictError(
        `Promotion of ${versionId} was already requested by ${version.promotionRequestedBy}`,
      );
    if (!version.current)
      throw new ConflictError(
        `Version ${versionId} is no longer what ${version.target} resolves to; promote the current version`,
      );
    await this.requirePromotable(entity);
    const updated = await promotions.requestPromotion({
      id: versionId,
      revision: input.revision,
      actor,
      at: clock().toISOString(),
      comment: input.comment,
    });
    if (!updated)
      throw new ConflictError(
        `Version ${versionId} changed (revision ${version.revision}); reload and try again`,
      );
    await notifier.promotionRequested(updated, approvers, entity.owner);
    return updated;
  }

  async signOff(
    entity: EntityState,
    versionId: string,
    input: PromotionSignOffInput,
    signer: Signer,
  ): Promise<ArtifactVersion> {
    const { promotions, clock, notifier } = this.options;
    const version = await this.versionOf(entity, versionId);
    const refusal = this.signOffRefusal(version, entity, input.kind, signer);
    if (refusal) throw refusal;
    if (version.revision !== input.revision)
      throw new ConflictError(
        `Version ${versionId} changed (revision ${version.revision}); reload and sign again`,
      );
    // The sign-off that completes the pair promotes: the decision must still allow it.
    const completes = version.signOffs.some(s => s.kind !== input.kind);
    if (completes) await this.requirePromotable(entity);
    const outcome = await promotions.signOff({
      id: versionId,
      revision: input.revision,
      kind: input.kind,
      actor: signer.userRef,
      at: clock().toISOString(),
      comment: input.comment,
    });
    if (!outcome)
      throw new ConflictError(
        `Version ${versionId} was signed, rejected or re-evaluated concurrently; reload to see the outcome`,
      );
    await notifier.signedOff(outcome.version, input.kind, entity.owner);
    if (outcome.promoted)
      await notifier.promoted(outcome.version, entity.owner);
    return outcome.version;
  }

  async reject(
    entity: EntityState,
    versionId: string,
    input: PromotionRejectInput,
    signer: Signer,
  ): Promise<ArtifactVersion> {
    const { store, promotions, clock, notifier, decisions } = this.options;
    const version = await this.versionOf(entity, versionId);
    if (!this.mayReject(entity, signer))
      throw new NotAllowedError(
        'Only a security approver or an owner of the entity may reject a version',
      );
    if (version.stage === 'rejected')
      throw new ConflictError(`Version ${versionId} is already rejected`);
    const ruleIds = [
      ...new Set(
        (await store.listUnresolvedFindings(entity.entityRef))
          .filter(finding => finding.target === version.target)
          .map(finding => finding.ruleId),
      ),
    ].sort();
    const now = clock().toISOString();
    const outcome = await promotions.reject({
      id: versionId,
      revision: input.revision,
      actor: signer.userRef,
      at: now,
      reason: input.reason,
      ruleIds,
    });
    if (!outcome)
      throw new ConflictError(
        `Version ${versionId} changed or was rejected concurrently; reload to see the outcome`,
      );
    // The log is consulted by every scan; the copies known now get their finding at once.
    const affected = [outcome.version, ...outcome.alsoRejected];
    const owners: (string | undefined)[] = [];
    for (const copy of affected) {
      const holder = await store.getEntity(copy.entityRef);
      if (!holder) continue;
      owners.push(holder.owner);
      await this.openRejectedFinding(holder, copy, outcome.logged);
    }
    await notifier.rejected(outcome.version, input.reason, owners);
    await decisions.recompute(entity.entityRef);
    return outcome.version;
  }

  // The gate

  /** The gate answer for one digest: PASS only when that version is promoted and not rejected. */
  async gate(
    entity: EntityState,
    rawDigest: string,
    base: GateResponse,
  ): Promise<GateResponse> {
    const { promotions } = this.options;
    const digest = versionDigest(rawDigest);
    const [version, rejectedLog] = await Promise.all([
      promotions.findVersion(entity.entityRef, digest),
      promotions.getRejected([digest]),
    ]);
    const rejected = rejectedLog.get(digest);
    const stage = rejected ? 'rejected' : version?.stage ?? 'unknown';
    const promotion: PromotionGateStatus = {
      digest,
      stage,
      promoted: stage === 'promoted',
      ...(version ? { versionId: version.id } : {}),
      signOffs: version?.signOffs ?? [],
      missingSignOffs:
        stage === 'evaluated'
          ? SIGN_OFF_KINDS.filter(
              kind => !version?.signOffs.some(s => s.kind === kind),
            )
          : [],
      promotionRequested: Boolean(version?.promotionRequestedAt),
      ...(rejected
        ? {
            rejected: {
              entityRef: rejected.entityRef,
              rejectedBy: rejected.rejectedBy,
              rejectedAt: rejected.rejectedAt,
              reason: rejected.reason,
            },
          }
        : {}),
    };
    // A promoted current version whose latest evaluation blocks does not pass: new evidence wins.
    const blockedSince = version?.current && base.decision === 'BLOCK';
    return {
      ...base,
      decision: promotion.promoted && !blockedSince ? 'PASS' : 'BLOCK',
      promotion,
    };
  }

  async listRejected(
    query: Parameters<PromotionStore['listRejected']>[0],
  ): ReturnType<PromotionStore['listRejected']> {
    return this.options.promotions.listRejected(query);
  }

  // Rules

  private async versionOf(
    entity: EntityState,
    versionId: string,
  ): Promise<ArtifactVersion> {
    const version = await this.requireVersion(versionId);
    // A version id is only acted on through its own entity (whose permissions were checked).
    if (version.entityRef !== entity.entityRef)
      throw new NotFoundError(`No artifact version ${versionId}`);
    return version;
  }

  /** Why this signer may not give this sign-off now, or undefined when they may. */
  private signOffRefusal(
    version: ArtifactVersion,
    entity: EntityState,
    kind: SignOffKind,
    signer: Signer,
  ): Error | undefined {
    if (version.stage !== 'evaluated' || !version.promotionRequestedAt)
      return new ConflictError(
        `Version ${version.id} is ${version.stage}${
          version.promotionRequestedAt ? '' : ' without a promotion request'
        }; nothing to sign`,
      );
    if (version.promotionRequestedBy === signer.userRef)
      return new NotAllowedError(
        'You requested this promotion: the sign-offs must come from others',
      );
    if (version.signOffs.some(s => s.actor === signer.userRef))
      return new NotAllowedError(
        'You already signed this version: the two sign-offs must come from two different people',
      );
    if (version.signOffs.some(s => s.kind === kind))
      return new ConflictError(`The ${kind} sign-off is already given`);
    if (kind === 'security' && !signer.securityApprover)
      return new NotAllowedError(
        'The security sign-off needs ml-governance.promotion.approve',
      );
    if (kind === 'owner' && !this.owns(entity, signer))
      return new NotAllowedError(
        `The owner sign-off needs an owner of ${entity.entityRef}`,
      );
    return undefined;
  }

  private owns(entity: EntityState, signer: Signer): boolean {
    return Boolean(entity.owner && signer.ownershipRefs.includes(entity.owner));
  }

  private mayReject(entity: EntityState, signer: Signer): boolean {
    return signer.securityApprover || this.owns(entity, signer);
  }

  /** PASS, or TICKET whose findings are all accepted: nothing unaccepted may hold the release. */
  private async requirePromotable(entity: EntityState): Promise<void> {
    const { decision, evaluation } = await this.options.decisions.evaluate(
      entity,
    );
    const holding = evaluation.findings.filter(
      finding => finding.outcome !== 'PASS' && !finding.acceptedBy,
    );
    if (decision === 'PASS' || (decision === 'TICKET' && holding.length === 0))
      return;
    const rules = [...new Set(holding.map(f => f.ruleId))].slice(0, 10);
    throw new ConflictError(
      `${entity.entityRef} is ${decision}${
        rules.length ? ` (${rules.join(', ')})` : ''
      }: only a PASS, or a TICKET whose findings are all accepted, can be promoted`,
    );
  }

  private async openRejectedFinding(
    holder: EntityState,
    version: ArtifactVersion,
    logged: RejectedArtifact,
  ): Promise<void> {
    const { store, decisions, clock } = this.options;
    await store.transaction(async tx => {
      await tx.applyScanFindings({
        entity: holder,
        scannedTargets: [],
        findings: [rejectedArtifactFinding(version.target, logged)],
        now: clock().toISOString(),
      });
      await decisions.recompute(holder.entityRef, tx);
    });
  }
}
