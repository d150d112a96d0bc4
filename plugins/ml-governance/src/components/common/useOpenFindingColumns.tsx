import { Link, TableColumn } from '@backstage/core-components';
import type { Finding } from '@ml-governance/plugin-ml-governance-common';
import { useMemo } from 'react';
import { useEntityTabLink } from '../../hooks/useEntityTabLink';
import { formatDate, formatLocation, shortRef } from './format';
import { SeverityChip } from './SeverityChip';

/**
 * Columns of a cross-entity list of open findings (team dashboard, quarterly report): how long,
 * how bad, which rule, and a link to the entity's tab.
 */
export function useOpenFindingColumns(): TableColumn<Finding>[] {
  const tabLink = useEntityTabLink();
  return useMemo(
    () => [
      {
        title: 'Open since',
        field: 'firstSeenAt',
        render: f => formatDate(f.firstSeenAt),
      },
      {
        title: 'Severity',
        field: 'severity',
        render: f => <SeverityChip severity={f.severity} />,
      },
      { title: 'Rule', field: 'ruleId' },
      {
        title: 'Entity',
        field: 'entityRef',
        render: f => (
          <Link to={tabLink(f.entityRef)}>{shortRef(f.entityRef)}</Link>
        ),
      },
      {
        title: 'Where',
        field: 'location',
        render: f => (
          <span style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
            {formatLocation(f.location)}
          </span>
        ),
      },
    ],
    [tabLink],
  );
}
