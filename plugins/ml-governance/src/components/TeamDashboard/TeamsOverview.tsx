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

/** Path of a team's dashboard relative to the teams list. */
function teamPath(owner: string): string {
  const { namespace, name } = parseEntityRef(owner, { defaultKind: 'group' });
  return `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/** Every team with governed entities, worst first, linking to its dashboard. */
export function TeamsOverview() {
  const { value, loading, error } = useTeams();
  if (loading) return <Progress />;
  if (error)
    return <ResponseErrorPanel error={error} title="Could not load teams" />;
  const teams = [...(value ?? [])].sort(
    (a, b) =>
      (b.decisions.BLOCK ?? 0) - (a.decisions.BLOCK ?? 0) ||
      a.owner.localeCompare(b.owner),
  );
  if (teams.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No teams yet"
        description="Teams appear here once entities they own have been scanned."
      />
    );
  }
  const columns: TableColumn<TeamOverview>[] = [
    {
      title: 'Team',
      field: 'owner',
      render: t => <Link to={teamPath(t.owner)}>{shortRef(t.owner)}</Link>,
    },
    { title: 'Entities', field: 'entityCount' },
    {
      title: 'Decisions',
      field: 'decisions',
      render: t => <DecisionCounts decisions={t.decisions} />,
    },
    {
      title: 'Open findings',
      field: 'counts',
      render: t => <SeverityCounts counts={t.counts} hideInfo />,
    },
  ];
  return (
    <div data-testid="ml-governance-teams-page">
      <Table<TeamOverview>
        title="Teams"
        columns={columns}
        data={teams.map(team => ({ ...team, id: team.owner }))}
        options={{
          paging: teams.length > 20,
          pageSize: 20,
          search: true,
          padding: 'dense',
          draggable: false,
        }}
      />
    </div>
  );
}
