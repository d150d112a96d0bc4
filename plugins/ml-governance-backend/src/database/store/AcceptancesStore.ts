import { randomUUID } from 'node:crypto';
import type {
  AcceptanceEvent,
  AcceptanceWithHistory,
  RiskAcceptance,
} from '@ml-governance/plugin-ml-governance-common';
import type {
  AcceptanceFilter,
  AcceptanceTransition,
  CursorPage,
  MlGovernanceStore,
  PageRequest,
} from '../MlGovernanceStore';
import { acceptanceFromRow, eventFromRow, eventColumns } from './rows';
import { ACCEPTANCES, EVENTS, INSERT_CHUNK, StoreModule } from './StoreModule';
import { acceptancesKeyset } from '../listOrders';
import { keysetPage } from '../keyset';
import { storableJson, storableRow, storableText } from '../storableText';

/** Risk acceptances with their audit history; transitions are conditional on status and revision. */
export type AcceptanceStore = Pick<
  MlGovernanceStore,
  | 'insertAcceptance'
  | 'getAcceptance'
  | 'listAcceptances'
  | 'listAcceptancesPage'
  | 'transitionAcceptance'
  | 'listAcceptancesExpiring'
  | 'listActiveAcceptancesFor'
>;

/** The knex implementation of {@link AcceptanceStore}. */
export class AcceptancesStore extends StoreModule implements AcceptanceStore {
  async listActiveAcceptancesFor(
    entityRefs: string[],
  ): Promise<RiskAcceptance[]> {
    const acceptances: RiskAcceptance[] = [];
    for (let i = 0; i < entityRefs.length; i += INSERT_CHUNK) {
      const rows = await this.db(ACCEPTANCES)
        .whereIn('entity_ref', entityRefs.slice(i, i + INSERT_CHUNK))
        .where('status', 'active')
        .orderBy([
          { column: 'requested_at', order: 'desc' },
          { column: 'id', order: 'asc' },
        ]);
      acceptances.push(...rows.map(acceptanceFromRow));
    }
    return acceptances;
  }

  async insertAcceptance(
    acceptance: RiskAcceptance & { entityKind: string; entityOwner?: string },
    event: Omit<AcceptanceEvent, 'id' | 'acceptanceId'>,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(ACCEPTANCES).insert(
        storableRow({
          id: acceptance.id,
          entity_ref: acceptance.entityRef,
          entity_kind: acceptance.entityKind,
          entity_owner: acceptance.entityOwner ?? null,
          fingerprint: acceptance.fingerprint ?? null,
          rule_id: acceptance.ruleId ?? null,
          status: acceptance.status,
          justification: acceptance.justification,
          checklist: storableJson(acceptance.checklist),
          expires_at: acceptance.expiresAt,
          requested_by: acceptance.requestedBy,
          requested_at: acceptance.requestedAt,
          revision: acceptance.revision,
        }),
      );
      await tx(EVENTS).insert({
        id: randomUUID(),
        acceptance_id: acceptance.id,
        revision: acceptance.revision,
        ...eventColumns(event),
      });
    });
  }

  async getAcceptance(
    id: string,
  ): Promise<(AcceptanceWithHistory & { entityOwner?: string }) | undefined> {
    const row = await this.db(ACCEPTANCES).where('id', id).first();
    if (!row) return undefined;
    const [withHistory] = await this.withHistory([acceptanceFromRow(row)]);
    return withHistory;
  }

  async listAcceptances(
    filter: AcceptanceFilter,
  ): Promise<(AcceptanceWithHistory & { entityOwner?: string })[]> {
    const query = this.acceptanceQuery(filter).orderBy([
      { column: 'requested_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    return this.withHistory((await query).map(acceptanceFromRow));
  }

  async listAcceptancesPage(
    filter: AcceptanceFilter,
    page: PageRequest,
  ): Promise<CursorPage<AcceptanceWithHistory & { entityOwner?: string }>> {
    const { rows, nextCursor } = await keysetPage(
      this.acceptanceQuery(filter),
      { ...acceptancesKeyset(filter), ...page },
    );
    return {
      items: await this.withHistory(rows.map(acceptanceFromRow)),
      nextCursor,
    };
  }

  private acceptanceQuery(filter: AcceptanceFilter) {
    const query = this.db(ACCEPTANCES);
    if (filter.entityRef) query.where('entity_ref', filter.entityRef);
    if (filter.status?.length) query.whereIn('status', filter.status);
    if (filter.requestedBy) query.where('requested_by', filter.requestedBy);
    if (filter.notRequestedBy)
      query.whereNot('requested_by', filter.notRequestedBy);
    return query;
  }

  async transitionAcceptance(
    transition: AcceptanceTransition,
  ): Promise<RiskAcceptance | undefined> {
    return this.db.transaction(async tx => {
      const update: Record<string, unknown> = {
        revision: tx.raw('?? + 1', ['revision']),
      };
      if (transition.to.status) update.status = transition.to.status;
      if (transition.to.decidedBy)
        update.decided_by = storableText(transition.to.decidedBy);
      if (transition.to.decidedAt) update.decided_at = transition.to.decidedAt;
      if (transition.to.decisionComment !== undefined) {
        update.decision_comment =
          transition.to.decisionComment === null
            ? null
            : storableText(transition.to.decisionComment);
      }
      if (transition.to.remindedAt)
        update.reminded_at = transition.to.remindedAt;

      const query = tx(ACCEPTANCES)
        .where('id', transition.id)
        .whereIn('status', transition.fromStatus);
      if (transition.revision !== undefined)
        query.where('revision', transition.revision);
      const updated = await query.update(update);
      if (updated !== 1) return undefined;
      const row = await tx(ACCEPTANCES).where('id', transition.id).first();
      await tx(EVENTS).insert({
        id: randomUUID(),
        acceptance_id: transition.id,
        revision: row.revision,
        ...eventColumns(transition.event),
      });
      return acceptanceFromRow(row);
    });
  }

  async listAcceptancesExpiring(options: {
    status: RiskAcceptance['status'];
    before: string;
    notReminded?: boolean;
  }): Promise<(RiskAcceptance & { entityOwner?: string })[]> {
    const query = this.db(ACCEPTANCES)
      .where('status', options.status)
      .where('expires_at', '<=', options.before)
      .orderBy('expires_at');
    if (options.notReminded) query.whereNull('reminded_at');
    return (await query).map(acceptanceFromRow);
  }

  private async withHistory<T extends RiskAcceptance>(
    acceptances: T[],
  ): Promise<(T & AcceptanceWithHistory)[]> {
    const byId = new Map<string, AcceptanceEvent[]>(
      acceptances.map(a => [a.id, []]),
    );
    const ids = [...byId.keys()];
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      const rows = await this.db(EVENTS)
        .whereIn('acceptance_id', ids.slice(i, i + INSERT_CHUNK))
        .orderBy([
          { column: 'revision', order: 'asc' },
          { column: 'id', order: 'asc' },
        ]);
      for (const row of rows)
        byId.get(row.acceptance_id)?.push(eventFromRow(row));
    }
    return acceptances.map(a => ({ ...a, history: byId.get(a.id) ?? [] }));
  }
}
