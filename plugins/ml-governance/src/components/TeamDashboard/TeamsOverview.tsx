import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import type { TeamOverview } from '@ml-governance/plugin-ml-governance-common';
import { useTeams } from '../../hooks/useTeams';
import { shortRef } from '../common/format';
import { SeverityCounts } from '../common/SeverityCounts';
import { DecisionCounts } from './DecisionCounts';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** Path of a team's dashboard relative to the teams list. */
function teamPath(owner: string): string {
  const { namespace, name } = parseEntityRef(owner, { defaultKind: 'group' });
  return `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/** Every team with governed entities, worst first, linking to its dashboard. */
export function TeamsOverview() {
  const { value, loading, error } = useTeams();
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  if (loading) return <Progress />;
  if (error)
    return <ResponseErrorPanel error={error} title={t('teams.loadError')} />;
  const teams = [...(value ?? [])].sort(
    (a, b) =>
      (b.decisions.BLOCK ?? 0) - (a.decisions.BLOCK ?? 0) ||
      a.owner.localeCompare(b.owner),
  );
  if (teams.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={t('teams.noTeams')}
        description={t('teams.noTeamsDescription')}
      />
    );
  }
  const columns: TableColumn<TeamOverview>[] = [
    {
      title: t('teams.columns.team'),
      field: 'owner',
      render: team => (
        <Link to={teamPath(team.owner)}>{shortRef(team.owner)}</Link>
      ),
    },
    { title: t('teams.columns.entities'), field: 'entityCount' },
    {
      title: t('teams.columns.decisions'),
      field: 'decisions',
      render: team => <DecisionCounts decisions={team.decisions} />,
    },
    {
      title: t('teams.columns.openFindings'),
      field: 'counts',
      render: team => <SeverityCounts counts={team.counts} hideInfo />,
    },
  ];
  return (
    <div data-testid="ml-governance-teams-page">
      <Table<TeamOverview>
        title={t('teams.title')}
        columns={columns}
        data={teams.map(team => ({ ...team, id: team.owner }))}
        options={{
          paging: teams.length > 20,
          pageSize: 20,
          search: true,
          padding: 'dense',
          draggable: false,
        }}
        localization={{
          toolbar: {
            searchAriaLabel: t('labels.searchAriaLabel'),
            clearSearchAriaLabel: t('labels.clearSearch'),
          },
        }}
      />
    </div>
  );
}
