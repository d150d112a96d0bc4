import type { Finding as ScannerFinding } from '@ml-governance/scanner';
import type {
  EntityDecision,
  Finding,
  RiskAcceptance,
} from '@ml-governance/plugin-ml-governance-common';
import type {
  EntityState,
  MlGovernanceStore,
} from '../database/MlGovernanceStore';
import type {
  PolicyEvaluation,
  PolicyRegistry,
} from '../policy/PolicyRegistry';
import type { Clock } from './clock';

/**
 * Targets of findings about the scan itself rather than an artifact: the results could not be
 * stored (`mlgov:store`) or computed (`mlgov:scan`), or the entity's policy is unknown
 * (`mlgov:policy`). Every scan covers them, so they resolve once the problem is gone.
 */
export const SCAN_SELF_TARGETS = {
  store: 'mlgov:store',
  scan: 'mlgov:scan',
  policy: 'mlgov:policy',
} as const;

function isScanSelfFailure(finding: Finding): boolean {
  return (
    finding.ruleId === 'SCAN-ERROR' &&
    finding.status === 'open' &&
    finding.target.startsWith('mlgov:')
  );
}

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

  /** The entity's policy; an unknown name evaluates under the default policy and can never PASS. */
  private policyFor(entity: EntityState) {
    const known = this.policies
      .names()
      .includes(entity.policyName ?? 'default');
    return {
      known,
      policy: this.policies.get(known ? entity.policyName : undefined),
    };
  }

  async evaluate(
    entity: EntityState,
    store: MlGovernanceStore = this.store,
  ): Promise<EntityEvaluation> {
    const [findings, acceptances] = await Promise.all([
      store.listUnresolvedFindings(entity.entityRef),
      store.listAcceptances({
        entityRef: entity.entityRef,
        status: ['active'],
      }),
    ]);
    return this.decide(entity, findings, acceptances);
  }

  private decide(
    entity: EntityState,
    findings: Finding[],
    acceptances: RiskAcceptance[],
  ): EntityEvaluation {
    const { known, policy } = this.policyFor(entity);
    const evaluation = this.policies.evaluate(
      findings as unknown as ScannerFinding[],
      policy,
      {
        now: this.clock(),
        acceptances,
      },
    );
    let decision: EntityDecision = evaluation.decision;
    // Never scanned successfully: nothing is known, which is not a PASS.
    if (!entity.lastScannedAt) decision = 'UNKNOWN';
    // What could not be stored, computed or judged under the entity's own policy is not a PASS
    // either, whatever the policy's thresholds say of a SCAN-ERROR's severity.
    const selfFailure =
      entity.scanError !== undefined ||
      !known ||
      findings.some(isScanSelfFailure);
    if (selfFailure && decision !== 'BLOCK') decision = 'UNKNOWN';
    return { entity, decision, evaluation, acceptances, findings };
  }

  /**
   * Re-evaluates and persists; returns the previous and the new decision. Pass the store of an open
   * transaction to commit the decision together with the findings it depends on.
   */
  async recompute(
    entityRef: string,
    store: MlGovernanceStore = this.store,
  ): Promise<
    { previous: EntityDecision; current: EntityEvaluation } | undefined
  > {
    const entity = await store.getEntity(entityRef);
    if (!entity) return undefined;
    const current = await this.evaluate(entity, store);
    await this.persist(store, [current]);
    return { previous: entity.decision, current };
  }

  /**
   * {@link recompute} for a group of entities in a handful of statements (the scan round's group
   * commit). `entities` is their state as of this transaction.
   */
  async recomputeMany(
    entities: EntityState[],
    store: MlGovernanceStore,
  ): Promise<Map<string, EntityEvaluation>> {
    const refs = entities.map(entity => entity.entityRef);
    const [findings, acceptances] = await Promise.all([
      store.listUnresolvedFindingsFor(refs),
      store.listActiveAcceptancesFor(refs),
    ]);
    const group = <T extends { entityRef: string }>(items: T[]) => {
      const byRef = new Map<string, T[]>(refs.map(ref => [ref, []]));
      for (const item of items) byRef.get(item.entityRef)?.push(item);
      return byRef;
    };
    const findingsByRef = group(findings);
    const acceptancesByRef = group(acceptances);
    const evaluations = entities.map(entity =>
      this.decide(
        entity,
        findingsByRef.get(entity.entityRef) ?? [],
        acceptancesByRef.get(entity.entityRef) ?? [],
      ),
    );
    await this.persist(store, evaluations);
    return new Map(
      evaluations.map(evaluation => [evaluation.entity.entityRef, evaluation]),
    );
  }

  /** Finding waivers as the policy engine matched acceptances, open counts, decisions, today's history. */
  private async persist(
    store: MlGovernanceStore,
    evaluations: EntityEvaluation[],
  ): Promise<void> {
    const reopen: string[] = [];
    const waive = new Map<string, string[]>();
    for (const current of evaluations) {
      const stored = new Map<string, Finding>(
        current.findings.map(finding => [finding.fingerprint, finding]),
      );
      for (const evaluated of current.evaluation.findings) {
        const finding = stored.get(evaluated.fingerprint);
        if (!finding) continue;
        const acceptanceId = evaluated.acceptedBy?.id;
        if (acceptanceId && finding.acceptanceId !== acceptanceId) {
          waive.set(acceptanceId, [
            ...(waive.get(acceptanceId) ?? []),
            finding.id,
          ]);
        } else if (!acceptanceId && finding.status !== 'open') {
          reopen.push(finding.id);
        }
      }
    }
    if (reopen.length > 0)
      await store.setFindingWaiver(reopen, { status: 'open' });
    for (const [acceptanceId, ids] of waive) {
      await store.setFindingWaiver(ids, { status: 'accepted', acceptanceId });
    }

    const day = this.clock().toISOString().slice(0, 10);
    const rows = evaluations.map(current => ({
      entityRef: current.entity.entityRef,
      owner: current.entity.owner,
      decision: current.decision === 'UNKNOWN' ? null : current.decision,
      counts: current.evaluation.counts,
      acceptedCount: current.evaluation.acceptedCount,
    }));
    if (rows.length === 1)
      await store.setEntityDecision(rows[0].entityRef, rows[0]);
    else await store.setEntityDecisions(rows);
    await store.recordDailyDecision(rows.map(row => ({ ...row, day })));
  }
}
