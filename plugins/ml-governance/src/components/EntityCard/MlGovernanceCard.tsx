import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useEntitySummary } from '../../hooks/useEntitySummary';
import { useEntityTabLink } from '../../hooks/useEntityTabLink';
import { isMlGovernanceAvailable } from '../../predicates';
import { DecisionStatus } from '../common/DecisionStatus';
import { MissingSetupState } from '../common/MissingSetupState';
import { SeverityCounts } from '../common/SeverityCounts';
import { EntitySummaryFacts } from './EntitySummaryFacts';
import { isNotFound } from '../common/responseErrors';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

function CardFrame(props: {
  children: React.ReactNode;
  deepLink?: { title: string; link: string };
}) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <div data-testid="ml-governance-card">
      <InfoCard title={t('labels.cardTitle')} deepLink={props.deepLink}>
        {props.children}
      </InfoCard>
    </div>
  );
}

function SummaryCardBody(props: { entityRef: string }) {
  const { entityRef } = props;
  const tabLink = useEntityTabLink();
  const { value: summary, loading, error } = useEntitySummary(entityRef);
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const deepLink = {
    title: t('card.viewFindings'),
    link: tabLink(entityRef),
  };

  if (loading) {
    return (
      <CardFrame>
        <Progress />
      </CardFrame>
    );
  }
  if (error && !isNotFound(error)) {
    return (
      <CardFrame>
        <ResponseErrorPanel error={error} title={t('card.loadError')} />
      </CardFrame>
    );
  }
  if (!summary) {
    return (
      <CardFrame deepLink={deepLink}>
        <DecisionStatus decision="UNKNOWN" size="large" />
        <Typography variant="body2" color="textSecondary">
          {t('labels.notScannedYet')}
        </Typography>
      </CardFrame>
    );
  }
  return (
    <CardFrame deepLink={deepLink}>
      <Box mb={2}>
        <Typography variant="overline" display="block" color="textSecondary">
          {t('card.releaseDecision')}
        </Typography>
        <DecisionStatus decision={summary.decision} size="large" />
      </Box>
      <Box mb={2}>
        <Typography variant="overline" display="block" color="textSecondary">
          {t('card.openFindings')}
        </Typography>
        <SeverityCounts counts={summary.counts} />
      </Box>
      <EntitySummaryFacts summary={summary} />
    </CardFrame>
  );
}

/** The entity overview card: release decision, open counts, last scan, pending acceptances. */
export function MlGovernanceCard() {
  const { entity } = useEntity();
  if (!isMlGovernanceAvailable(entity)) {
    return (
      <CardFrame>
        <MissingSetupState />
      </CardFrame>
    );
  }
  return <SummaryCardBody entityRef={stringifyEntityRef(entity)} />;
}
