import { Link, TableColumn } from '@backstage/core-components';
import type { Finding } from '@ml-governance/plugin-ml-governance-common';
import { useMemo } from 'react';
import { useEntityTabLink } from '../../hooks/useEntityTabLink';
import { formatDate, formatLocation, shortRef } from './format';
import { SeverityChip } from './SeverityChip';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/**
 * Columns of a cross-entity list of open findings (team dashboard, quarterly report): how long,
 * how bad, which rule, and a link to the entity's tab.
 */
export function useOpenFindingColumns(): TableColumn<Finding>[] {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const tabLink = useEntityTabLink();
  return useMemo(
    () => [
      {
        title: t('teams.columns.openSince'),
        field: 'firstSeenAt',
        render: f => formatDate(f.firstSeenAt),
      },
      {
        title: t('teams.columns.severity'),
        field: 'severity',
        render: f => <SeverityChip severity={f.severity} />,
      },
      { title: t('teams.columns.rule'), field: 'ruleId' },
      {
        title: t('teams.columns.entity'),
        field: 'entityRef',
        render: f => (
          <Link to={tabLink(f.entityRef)}>{shortRef(f.entityRef)}</Link>
        ),
      },
      {
        title: t('teams.columns.where'),
        field: 'location',
        render: f => (
          <span style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
            {formatLocation(t, f.location)}
          </span>
        ),
      },
    ],
    [tabLink, t],
  );
}
