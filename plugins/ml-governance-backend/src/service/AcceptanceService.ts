import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  AcceptanceDecision,
  AcceptanceRequest,
  AcceptanceStatus,
  AcceptanceWithHistory,
  RiskAcceptance,
} from '@ml-governance/plugin-ml-governance-common';
import type {
  AcceptanceTransition,
  EntityState,
  MlGovernanceStore,
} from '../database/MlGovernanceStore';
import type { DecisionService } from './DecisionService';
import type { MlGovernanceNotifier } from './Notifier';
import type { Clock } from './clock';

const DAY_MS = 86_400_000;
export const SYSTEM_ACTOR = 'system:ml-governance';

export interface AcceptanceServiceOptions {
  store: MlGovernanceStore;
  decisions: DecisionService;
  notifier: MlGovernanceNotifier;
  clock: Clock;
  approvers: string[];
  maxDays: number;
  reminderDays: number;
}

/**
 * The risk-acceptance lifecycle: requested → active (approved) | rejected; active → expired | revoked.
 * Permission checks happen in the router; the rules that hold whatever the permission policy says
 * (nobody decides their own request, decisions name the revision they saw, expiry is bounded) live here.
 */
export class AcceptanceService {
  constructor(private readonly options: AcceptanceServiceOptions) {}

  async request(
    entity: EntityState,
    input: AcceptanceRequest,
    requestedBy: string,
  ): Promise<RiskAcceptance> {
    const { store, clock, maxDays } = this.options;
    const now = clock();
    if (Boolean(input.fingerprint) === Boolean(input.ruleId)) {
      throw new InputError(
        'Name exactly one of fingerprint (one finding) or ruleId (a rule on the entity)',
      );
    }
    const expiresAt = new Date(input.expiresAt);
    if (expiresAt.getTime() <= now.getTime())
      throw new InputError('expiresAt must be in the future');
    if (expiresAt.getTime() > now.getTime() + maxDays * DAY_MS) {
      throw new InputError(`expiresAt may be at most ${maxDays} days away`);
    }
    if (
      input.checklist.saferAlternativeAvailable &&
      !input.checklist.saferAlternativePlan?.trim()
    ) {
      throw new InputError(
        'A safer alternative exists: describe the plan to move to it (saferAlternativePlan)',
      );
    }

    const unresolved = await store.listUnresolvedFindings(entity.entityRef);
    const matching = unresolved.filter(finding =>
      input.fingerprint
        ? finding.fingerprint === input.fingerprint
        : finding.ruleId === input.ruleId,
    );
    if (matching.length === 0) {
      throw new NotFoundError(
        `No unresolved finding ${
          input.fingerprint
            ? `with fingerprint ${input.fingerprint}`
            : `of rule ${input.ruleId}`
        } on ${entity.entityRef}`,
      );
    }
    const pending = await store.listAcceptances({
      entityRef: entity.entityRef,
      status: ['requested', 'active'],
    });
    const duplicate = pending.find(a =>
      input.fingerprint
        ? a.fingerprint === input.fingerprint
        : a.ruleId === input.ruleId && !a.fingerprint,
    );
    if (duplicate) {
      throw new ConflictError(
        `Acceptance ${duplicate.id} is already ${duplicate.status} for this finding`,
      );
    }

    const acceptance: RiskAcceptance = {
      id: randomUUID(),
      entityRef: entity.entityRef,
      ...(input.fingerprint
        ? { fingerprint: input.fingerprint }
        : { ruleId: input.ruleId }),
      status: 'requested',
      justification: input.justification,
      checklist: input.checklist,
      expiresAt: expiresAt.toISOString(),
      requestedBy,
      requestedAt: now.toISOString(),
      revision: 1,
    };
    await store.insertAcceptance(
      { ...acceptance, entityKind: entity.kind, entityOwner: entity.owner },
      {
        action: 'requested',
        actor: requestedBy,
        at: acceptance.requestedAt,
        comment: input.justification,
      },
    );
    await this.options.notifier.acceptanceRequested(
      acceptance,
      this.options.approvers,
    );
    return acceptance;
  }

  async get(
    id: string,
  ): Promise<AcceptanceWithHistory & { entityOwner?: string }> {
    const acceptance = await this.options.store.getAcceptance(id);
    if (!acceptance) throw new NotFoundError(`No risk acceptance ${id}`);
    return acceptance;
  }

  async decide(
    id: string,
    input: AcceptanceDecision,
    decidedBy: string,
  ): Promise<RiskAcceptance> {
    const { clock } = this.options;
    const acceptance = await this.get(id);
    if (acceptance.requestedBy === decidedBy) {
      throw new NotAllowedError(
        'You cannot decide your own risk acceptance request',
      );
    }
    if (acceptance.status !== 'requested') {
      throw new ConflictError(
        `Acceptance ${id} is ${acceptance.status}, not awaiting a decision`,
      );
    }
    if (acceptance.revision !== input.revision) {
      throw new ConflictError(
        `Acceptance ${id} changed (revision ${acceptance.revision}); reload and decide again`,
      );
    }
    const now = clock().toISOString();
    if (input.decision === 'approve' && acceptance.expiresAt <= now) {
      throw new ConflictError(
        `Acceptance ${id} expired before it was approved; request it again`,
      );
    }
    const status: AcceptanceStatus =
      input.decision === 'approve' ? 'active' : 'rejected';
    const updated = await this.transitionAndRecompute(status === 'active', {
      id,
      fromStatus: ['requested'],
      revision: input.revision,
      to: { status, decidedBy, decidedAt: now, decisionComment: input.comment },
      event: {
        action: input.decision === 'approve' ? 'approved' : 'rejected',
        actor: decidedBy,
        at: now,
        comment: input.comment,
      },
    });
    // Someone else decided between our read and our write: exactly one decision wins.
    if (!updated)
      throw new ConflictError(
        `Acceptance ${id} was decided concurrently; reload to see the outcome`,
      );
    await this.options.notifier.acceptanceDecided(
      updated,
      acceptance.entityOwner,
    );
    return updated;
  }

  async revoke(
    id: string,
    input: { comment: string; revision: number },
    actor: string,
  ): Promise<RiskAcceptance> {
    const { clock } = this.options;
    const acceptance = await this.get(id);
    if (!['requested', 'active'].includes(acceptance.status)) {
      throw new ConflictError(
        `Acceptance ${id} is ${acceptance.status} and cannot be revoked`,
      );
    }
    const now = clock().toISOString();
    const updated = await this.transitionAndRecompute(
      acceptance.status === 'active',
      {
        id,
        fromStatus: ['requested', 'active'],
        revision: input.revision,
        to: {
          status: 'revoked',
          decidedBy: actor,
          decidedAt: now,
          decisionComment: input.comment,
        },
        event: { action: 'revoked', actor, at: now, comment: input.comment },
      },
    );
    if (!updated)
      throw new ConflictError(
        `Acceptance ${id} changed (revision ${acceptance.revision}); reload and retry`,
      );
    await this.options.notifier.acceptanceDecided(
      updated,
      acceptance.entityOwner,
    );
    return updated;
  }

  /**
   * The transition and, when it changes what is waived, the entity's recomputed decision, waivers
   * and counters, in one transaction: a crash between them can never leave the counters behind.
   */
  private async transitionAndRecompute(
    recompute: boolean,
    transition: AcceptanceTransition,
  ): Promise<RiskAcceptance | undefined> {
    return this.options.store.transaction(async tx => {
      const updated = await tx.transitionAcceptance(transition);
      if (updated && recompute)
        await this.options.decisions.recompute(updated.entityRef, tx);
      return updated;
    });
  }

  /**
   * Expires active acceptances whose time has come (re-opening their findings and recomputing the
   * decision) and sends one "expires soon" reminder per acceptance. Safe to run on several replicas:
   * each change is a conditional update.
   */
  async sweep(): Promise<{ expired: number; reminded: number }> {
    const { store, clock, reminderDays } = this.options;
    const now = clock();
    const nowIso = now.toISOString();
    let expired = 0;
    for (const acceptance of await store.listAcceptancesExpiring({
      status: 'active',
      before: nowIso,
    })) {
      const updated = await this.transitionAndRecompute(true, {
        id: acceptance.id,
        fromStatus: ['active'],
        to: { status: 'expired' },
        event: { action: 'expired', actor: SYSTEM_ACTOR, at: nowIso },
      });
      if (!updated) continue;
      expired++;
      await this.options.notifier.acceptanceExpired(
        updated,
        acceptance.entityOwner,
      );
    }

    let reminded = 0;
    const soon = new Date(now.getTime() + reminderDays * DAY_MS).toISOString();
    for (const acceptance of await store.listAcceptancesExpiring({
      status: 'active',
      before: soon,
      notReminded: true,
    })) {
      const updated = await store.transitionAcceptance({
        id: acceptance.id,
        fromStatus: ['active'],
        revision: acceptance.revision,
        to: { remindedAt: nowIso },
        event: { action: 'expiry-reminder', actor: SYSTEM_ACTOR, at: nowIso },
      });
      if (!updated) continue;
      reminded++;
      await this.options.notifier.acceptanceExpiringSoon(
        updated,
        acceptance.entityOwner,
      );
    }
    return { expired, reminded };
  }
}
