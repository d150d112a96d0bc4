import { Link, Table, TableColumn } from '@backstage/core-components';
import type { EntitySummary } from '@ml-governance/plugin-ml-governance-common';
import { useMemo } from 'react';
import { useEntityTabLink } from '../../hooks/useEntityTabLink';
import { DecisionStatus } from '../common/DecisionStatus';
import { formatDateTime, shortRef } from '../common/format';
import { SeverityCounts } from '../common/SeverityCounts';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

const DECISION_RANK = { BLOCK: 0, TICKET: 1, UNKNOWN: 2, PASS: 3 } as const;

/** The team's entities, most at risk first, each linking to its ML Governance tab. */
export function TeamEntitiesTable(props: { entities: EntitySummary[] }) {
  const tabLink = useEntityTabLink();
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const rows = useMemo(
    () =>
      [...props.entities]
        .sort((a, b) => DECISION_RANK[a.decision] - DECISION_RANK[b.decision])
        .map(entity => ({ ...entity, id: entity.entityRef })),
    [props.entities],
  );
  const columns: TableColumn<EntitySummary>[] = [
    {
      title: t('teams.columns.entity'),
      field: 'entityRef',
      render: entity => (
        <Link to={tabLink(entity.entityRef)}>{shortRef(entity.entityRef)}</Link>
      ),
    },
    {
      title: t('teams.columns.decision'),
      field: 'decision',
      render: entity => <DecisionStatus decision={entity.decision} />,
    },
    {
      title: t('teams.columns.openFindings'),
      field: 'counts',
      render: entity => <SeverityCounts counts={entity.counts} hideInfo />,
    },
    {
      title: t('teams.columns.pendingAcceptances'),
      field: 'pendingAcceptances',
    },
    {
      title: t('teams.columns.lastScan'),
      field: 'lastScanAt',
      // Team summaries carry `lastScanAt` only; a full run is there on entity summaries.
      render: entity =>
        formatDateTime(
          entity.lastScanAt ??
            entity.lastScan?.finishedAt ??
            entity.lastScan?.startedAt,
        ),
    },
  ];
  return (
    <Table<EntitySummary>
      title={t('teams.entities')}
      columns={columns}
      data={rows}
      options={{
        paging: rows.length > 20,
        pageSize: 20,
        search: rows.length > 10,
        padding: 'dense',
        draggable: false,
      }}
    />
  );
}
