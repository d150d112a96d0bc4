import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useTeamSummary } from '../../hooks/useTeamSummary';
import { shortRef } from '../common/format';
import { isNotFound } from '../common/responseErrors';
import { SeverityCounts } from '../common/SeverityCounts';
import { DecisionCounts } from './DecisionCounts';
import { OldestOpenFindings } from './OldestOpenFindings';
import { TeamEntitiesTable } from './TeamEntitiesTable';
import { TopRules } from './TopRules';
import { TrendChart } from './TrendChart';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** One team's ML risk: decisions and severities, trend, top rules, oldest findings, entities. */
export function TeamDashboard(props: {
  groupRef: string;
  showTitle?: boolean;
}) {
  const { groupRef, showTitle } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const { value: team, loading, error } = useTeamSummary(groupRef);
  if (loading) return <Progress />;
  if (isNotFound(error) || (team && team.entities.length === 0))
    return (
      <EmptyState
        missing="data"
        title={t('teams.noEntities')}
        description={t('teams.noEntitiesDescription')}
      />
    );
  if (error)
    return (
      <ResponseErrorPanel error={error} title={t('teams.dashboardLoadError')} />
    );
  if (!team) return null;
  return (
    <Grid container spacing={3} data-testid="ml-governance-team-dashboard">
      {showTitle && (
        <Grid item xs={12}>
          <Typography variant="h5" component="h2">
            {shortRef(team.owner)}
          </Typography>
        </Grid>
      )}
      <Grid item xs={12} md={6}>
        <InfoCard title={t('teams.releaseDecisions')}>
          <DecisionCounts decisions={team.decisions} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('teams.openFindings')}>
          <SeverityCounts counts={team.counts} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title={t('teams.trend')}>
          <TrendChart points={team.trend} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title={t('teams.topRules')}>
          <TopRules rules={team.topRules} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <TeamEntitiesTable entities={team.entities} />
      </Grid>
      <Grid item xs={12}>
        <OldestOpenFindings findings={team.oldestOpen} />
      </Grid>
    </Grid>
  );
}
