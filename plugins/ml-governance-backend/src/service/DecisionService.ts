import type { Finding as ScannerFinding } from '@ml-governance/scanner';
import type { EntityDecision, Finding, RiskAcceptance } from '@ml-governance/plugin-ml-governance-common';
import type { EntityState, MlGovernanceStore } from '../database/MlGovernanceStore';
import type { PolicyEvaluation, PolicyRegistry } from '../policy/PolicyRegistry';
import type { Clock } from './clock';

export interface EntityEvaluation {
  entity: EntityState;
  decision: EntityDecision;
  evaluation: PolicyEvaluation;
  acceptances: RiskAcceptance[];
  /** The unresolved findings that were evaluated. */
  findings: Finding[];
}

/**
 * Computes an entity's release decision from its unresolved findings, its policy and its active
 * acceptances (through the scanner's policy engine), and stores the result: finding waivers, open
 * counts, the decision and today's row of the decision history.
 */
export class DecisionService {
  constructor(
    private readonly store: MlGovernanceStore,
    private readonly policies: PolicyRegistry,
    private readonly clock: Clock,
  ) {}

  async evaluate(entity: EntityState): Promise<EntityEvaluation> {
    const [findings, acceptances] = await Promise.all([
      this.store.listUnresolvedFindings(entity.entityRef),
      this.store.listAcceptances({ entityRef: entity.entityRef, status: ['active'] }),
    ]);
    const evaluation = this.policies.evaluate(
      findings as unknown as ScannerFinding[],
      this.policies.get(entity.policyName),
      { now: this.clock(), acceptances },
    );
    // Never scanned successfully: nothing is known, which is not a PASS.
    const decision: EntityDecision = entity.lastScannedAt ? evaluation.decision : 'UNKNOWN';
    return { entity, decision, evaluation, acceptances, findings };
  }

  /** Re-evaluates and persists; returns the previous and the new decision. */
  async recompute(entityRef: string): Promise<{ previous: EntityDecision; current: EntityEvaluation } | undefined> {
    const entity = await this.store.getEntity(entityRef);
    if (!entity) return undefined;
    const current = await this.evaluate(entity);

    const stored = new Map<string, Finding>(current.findings.map(finding => [finding.fingerprint, finding]));
    const reopen: string[] = [];
    const waive = new Map<string, string[]>();
    for (const evaluated of current.evaluation.findings) {
      const finding = stored.get(evaluated.fingerprint);
      if (!finding) continue;
      const acceptanceId = evaluated.acceptedBy?.id;
      if (acceptanceId && finding.acceptanceId !== acceptanceId) {
        waive.set(acceptanceId, [...(waive.get(acceptanceId) ?? []), finding.id]);
      } else if (!acceptanceId && finding.status !== 'open') {
        reopen.push(finding.id);
      }
    }
    if (reopen.length > 0) await this.store.setFindingWaiver(reopen, { status: 'open' });
    for (const [acceptanceId, ids] of waive) {
      await this.store.setFindingWaiver(ids, { status: 'accepted', acceptanceId });
    }

    const decision = current.decision === 'UNKNOWN' ? null : current.decision;
    await this.store.setEntityDecision(entityRef, {
      decision,
      counts: current.evaluation.counts,
      acceptedCount: current.evaluation.acceptedCount,
    });
    await this.store.recordDailyDecision([
      {
        entityRef,
        owner: entity.owner,
        day: this.clock().toISOString().slice(0, 10),
        decision,
        counts: current.evaluation.counts,
      },
    ]);
    return { previous: entity.decision, current };
  }
}
