import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { Route, Routes, useParams } from 'react-router-dom';
import { TeamDashboard } from './TeamDashboard';
import { TeamsOverview } from './TeamsOverview';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

function TeamDashboardRoute() {
  const { namespace = 'default', name = '' } = useParams();
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <>
      <Box mb={2}>
        <Link to="..">{t('labels.allTeams')}</Link>
      </Box>
      <TeamDashboard groupRef={`group:${namespace}/${name}`} showTitle />
    </>
  );
}

/** Team risk dashboards: the list of teams, and one team at `:namespace/:name`. */
export function TeamsPage() {
  return (
    <Routes>
      <Route path="/" element={<TeamsOverview />} />
      <Route path=":namespace/:name" element={<TeamDashboardRoute />} />
    </Routes>
  );
}
