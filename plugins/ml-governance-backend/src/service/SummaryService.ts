import { NotFoundError } from '@backstage/errors';
import type {
  EntitySummary,
  GateResponse,
  TeamRiskSummary,
} from '@ml-governance/plugin-ml-governance-common';
import type {
  EntityState,
  MlGovernanceStore,
  PageRequest,
  TeamEntity,
} from '../database/MlGovernanceStore';
import type { DecisionService } from './DecisionService';
import type { Clock } from './clock';

const DAY_MS = 86_400_000;

function toSummary(
  entity: TeamEntity,
  pendingAcceptances: number,
): EntitySummary {
  return {
    entityRef: entity.entityRef,
    owner: entity.owner,
    kind: entity.kind,
    decision: entity.decision,
    counts: entity.counts,
    acceptedCount: entity.acceptedCount,
    pendingAcceptances,
    ...(entity.lastScannedAt ? { lastScanAt: entity.lastScannedAt } : {}),
  };
}

/** Read models: the entity summary, the CI gate and team aggregates. */
export class SummaryService {
  constructor(
    private readonly store: MlGovernanceStore,
    private readonly decisions: DecisionService,
    private readonly clock: Clock,
  ) {}

  async requireEntity(entityRef: string): Promise<EntityState> {
    const entity = await this.store.getEntity(entityRef);
    if (!entity)
      throw new NotFoundError(
        `${entityRef} is not known to ML Governance (not in scope, or not synced yet)`,
      );
    return entity;
  }

  async entitySummary(entity: EntityState): Promise<EntitySummary> {
    const [lastScan, pending] = await Promise.all([
      entity.lastScanId ? this.store.getScanRun(entity.lastScanId) : undefined,
      this.store.countRequestedAcceptances([entity.entityRef]),
    ]);
    return {
      ...toSummary(entity, pending.get(entity.entityRef) ?? 0),
      ...(lastScan ? { lastScan } : {}),
    };
  }

  /** Evaluated live (not from the stored decision) so an acceptance that just expired counts at once. */
  async gate(entity: EntityState): Promise<GateResponse> {
    const { decision, evaluation } = await this.decisions.evaluate(entity);
    const requested = await this.store.listAcceptances({
      entityRef: entity.entityRef,
      status: ['requested'],
    });
    const waitingOn = decision === 'BLOCK' ? 'BLOCK' : 'TICKET';
    const blocking = evaluation.findings
      .filter(
        finding =>
          finding.outcome === waitingOn &&
          decision !== 'PASS' &&
          decision !== 'UNKNOWN',
      )
      .map(finding => {
        const pending = requested.find(a =>
          a.fingerprint
            ? a.fingerprint === finding.fingerprint
            : a.ruleId === finding.ruleId,
        );
        return {
          ruleId: finding.ruleId,
          title: finding.title,
          severity: finding.severity,
          fingerprint: finding.fingerprint,
          ...(pending
            ? { pendingAcceptance: { id: pending.id, status: pending.status } }
            : {}),
        };
      });
    return {
      entityRef: entity.entityRef,
      decision,
      blocking,
      ...(entity.lastScannedAt ? { lastScanAt: entity.lastScannedAt } : {}),
    };
  }

  /**
   * One team's dashboard: totals from the counters maintained on write, one page of its entities,
   * and the few rows of top rules, oldest findings and trend.
   */
  async teamSummary(
    owner: string,
    trendDays: number,
    page: PageRequest = { limit: 500 },
  ): Promise<TeamRiskSummary> {
    const overview = await this.store.teamOverview(owner);
    if (!overview)
      throw new NotFoundError(
        `No ML Governance entities are owned by ${owner}`,
      );
    const since = new Date(this.clock().getTime() - trendDays * DAY_MS)
      .toISOString()
      .slice(0, 10);
    const [entities, topRules, oldestOpen, trend] = await Promise.all([
      this.store.listTeamEntities(owner, page),
      this.store.topRules(owner, 10),
      this.store.oldestOpenFindings(owner, 10),
      this.store.teamTrend(owner, since),
    ]);
    const pending = await this.store.countRequestedAcceptances(
      entities.items.map(entity => entity.entityRef),
    );
    return {
      owner,
      entities: entities.items.map(entity =>
        toSummary(entity, pending.get(entity.entityRef) ?? 0),
      ),
      decisions: overview.decisions,
      counts: overview.counts,
      topRules,
      oldestOpen: oldestOpen.map(
        ({ entityOwner: _owner, ...finding }: any) => finding,
      ),
      trend,
      entityCount: overview.entityCount,
      ...(entities.nextCursor
        ? { entitiesNextCursor: entities.nextCursor }
        : {}),
    };
  }
}
