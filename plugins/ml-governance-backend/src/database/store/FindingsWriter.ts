import { randomUUID } from 'node:crypto';
import { type Finding } from '@ml-governance/plugin-ml-governance-common';
import type {
  EntityRecord,
  MlGovernanceStore,
  ScannedFinding,
} from '../MlGovernanceStore';
import { findingFromRow, findingColumns } from './rows';
import { FINDINGS, INSERT_CHUNK, StoreModule } from './StoreModule';
import { storableRow, storableText } from '../storableText';

/** Findings as scans see them (opened, refreshed, re-opened, resolved) and as acceptances waive them. */
export type FindingWriteStore = Pick<
  MlGovernanceStore,
  'applyScanFindings' | 'applyScanFindingsMany' | 'setFindingWaiver'
>;

/** The knex implementation of {@link FindingWriteStore}. */
export class FindingsWriter extends StoreModule implements FindingWriteStore {
  async applyScanFindings(options: {
    entity: EntityRecord;
    scannedTargets: string[];
    findings: ScannedFinding[];
    now: string;
  }): Promise<{ opened: Finding[]; resolved: number }> {
    const { entity, now } = options;
    return this.db.transaction(async tx => {
      const existing: any[] = await tx(FINDINGS)
        .where('entity_ref', entity.entityRef)
        .select('id', 'fingerprint', 'target', 'status');
      const byFingerprint = new Map(
        existing.map(row => [row.fingerprint, row]),
      );
      const seen = new Set<string>();
      const inserts: any[] = [];
      const reopened: string[] = [];

      for (const finding of options.findings) {
        if (seen.has(finding.fingerprint)) continue;
        seen.add(finding.fingerprint);
        const previous = byFingerprint.get(finding.fingerprint);
        if (!previous) {
          inserts.push({
            id: randomUUID(),
            ...storableRow({
              entity_ref: entity.entityRef,
              entity_kind: entity.kind,
              entity_owner: entity.owner ?? null,
              fingerprint: finding.fingerprint,
            }),
            ...findingColumns(finding),
            status: 'open',
            acceptance_id: null,
            first_seen_at: now,
            last_seen_at: now,
            resolved_at: null,
          });
          continue;
        }
        const wasResolved = previous.status === 'resolved';
        if (wasResolved) reopened.push(previous.id);
        await tx(FINDINGS)
          .where('id', previous.id)
          .update({
            ...findingColumns(finding),
            entity_owner:
              entity.owner === undefined ? null : storableText(entity.owner),
            last_seen_at: now,
            ...(wasResolved
              ? { status: 'open', resolved_at: null, acceptance_id: null }
              : {}),
          });
      }
      for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
        await tx(FINDINGS).insert(inserts.slice(i, i + INSERT_CHUNK));
      }

      const scanned = new Set(options.scannedTargets);
      const toResolve = existing
        .filter(
          row =>
            row.status !== 'resolved' &&
            scanned.has(row.target) &&
            !seen.has(row.fingerprint),
        )
        .map(row => row.id as string);
      for (let i = 0; i < toResolve.length; i += INSERT_CHUNK) {
        await tx(FINDINGS)
          .whereIn('id', toResolve.slice(i, i + INSERT_CHUNK))
          .update({
            status: 'resolved',
            resolved_at: now,
            acceptance_id: null,
          });
      }

      // New rows are known as written (no read back); re-opened ones are read.
      const opened: Finding[] = inserts.map(findingFromRow);
      for (let i = 0; i < reopened.length; i += INSERT_CHUNK) {
        const rows = await tx(FINDINGS).whereIn(
          'id',
          reopened.slice(i, i + INSERT_CHUNK),
        );
        opened.push(...rows.map(findingFromRow));
      }
      return { opened, resolved: toResolve.length };
    });
  }

  async applyScanFindingsMany(
    items: {
      entity: EntityRecord;
      scannedTargets: string[];
      findings: ScannedFinding[];
    }[],
    now: string,
  ): Promise<Map<string, Finding[]>> {
    const refs = items.map(item => item.entity.entityRef);
    const existing: any[] = [];
    for (let i = 0; i < refs.length; i += INSERT_CHUNK) {
      existing.push(
        ...(await this.db(FINDINGS)
          .whereIn('entity_ref', refs.slice(i, i + INSERT_CHUNK))
          .select(
            'id',
            'entity_ref',
            'entity_owner',
            'fingerprint',
            'target',
            'status',
            'rule_id',
            'title',
            'severity',
            'message',
            'path',
            'location',
            'evidence',
            'details',
          )),
      );
    }
    const byKey = new Map(
      existing.map(row => [`${row.entity_ref}\n${row.fingerprint}`, row]),
    );
    const inserts: any[] = [];
    const seenIds: string[] = [];
    const reopened: string[] = [];
    const contentUpdates: { id: string; columns: Record<string, unknown> }[] =
      [];
    const toResolve: string[] = [];
    const openedByRef = new Map<string, Finding[]>(refs.map(ref => [ref, []]));
    const refOfReopened = new Map<string, string>();

    for (const { entity, findings, scannedTargets } of items) {
      const seen = new Set<string>();
      const owner =
        entity.owner === undefined ? null : storableText(entity.owner);
      for (const finding of findings) {
        if (seen.has(finding.fingerprint)) continue;
        seen.add(finding.fingerprint);
        const columns = findingColumns(finding);
        const previous = byKey.get(
          `${entity.entityRef}\n${finding.fingerprint}`,
        );
        if (!previous) {
          inserts.push({
            id: randomUUID(),
            ...storableRow({
              entity_ref: entity.entityRef,
              entity_kind: entity.kind,
              entity_owner: entity.owner ?? null,
              fingerprint: finding.fingerprint,
            }),
            ...columns,
            status: 'open',
            acceptance_id: null,
            first_seen_at: now,
            last_seen_at: now,
            resolved_at: null,
          });
          continue;
        }
        seenIds.push(previous.id);
        if (previous.status === 'resolved') {
          reopened.push(previous.id);
          refOfReopened.set(previous.id, entity.entityRef);
        }
        const changed =
          previous.entity_owner !== owner ||
          Object.entries(columns).some(
            ([column, value]) => String(previous[column]) !== String(value),
          );
        if (changed)
          contentUpdates.push({
            id: previous.id,
            columns: { ...columns, entity_owner: owner },
          });
      }
      const scanned = new Set(scannedTargets);
      for (const row of existing) {
        if (row.entity_ref !== entity.entityRef) continue;
        if (
          row.status !== 'resolved' &&
          scanned.has(row.target) &&
          !seen.has(row.fingerprint)
        )
          toResolve.push(row.id);
      }
    }

    for (let i = 0; i < inserts.length; i += INSERT_CHUNK)
      await this.db(FINDINGS).insert(inserts.slice(i, i + INSERT_CHUNK));
    for (let i = 0; i < seenIds.length; i += INSERT_CHUNK) {
      await this.db(FINDINGS)
        .whereIn('id', seenIds.slice(i, i + INSERT_CHUNK))
        .update({ last_seen_at: now });
    }
    for (let i = 0; i < reopened.length; i += INSERT_CHUNK) {
      await this.db(FINDINGS)
        .whereIn('id', reopened.slice(i, i + INSERT_CHUNK))
        .update({ status: 'open', resolved_at: null, acceptance_id: null });
    }
    // Content rarely changes for a fingerprint; those few rows are updated one by one.
    for (const update of contentUpdates)
      await this.db(FINDINGS).where('id', update.id).update(update.columns);
    for (let i = 0; i < toResolve.length; i += INSERT_CHUNK) {
      await this.db(FINDINGS)
        .whereIn('id', toResolve.slice(i, i + INSERT_CHUNK))
        .update({ status: 'resolved', resolved_at: now, acceptance_id: null });
    }

    for (const row of inserts)
      openedByRef.get(row.entity_ref)?.push(findingFromRow(row));
    for (let i = 0; i < reopened.length; i += INSERT_CHUNK) {
      for (const row of await this.db(FINDINGS).whereIn(
        'id',
        reopened.slice(i, i + INSERT_CHUNK),
      )) {
        openedByRef.get(refOfReopened.get(row.id)!)?.push(findingFromRow(row));
      }
    }
    return openedByRef;
  }

  async setFindingWaiver(
    ids: string[],
    waiver: { status: 'open' | 'accepted'; acceptanceId?: string },
  ): Promise<void> {
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      await this.db(FINDINGS)
        .whereIn('id', ids.slice(i, i + INSERT_CHUNK))
        .update({
          status: waiver.status,
          acceptance_id: waiver.acceptanceId ?? null,
        });
    }
  }
}
