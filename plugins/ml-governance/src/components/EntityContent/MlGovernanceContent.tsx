import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { mlGovernanceAcceptanceRequestPermission } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { useEntityAcceptances } from '../../hooks/useEntityAcceptances';
import { useEntitySummary } from '../../hooks/useEntitySummary';
import { useScans } from '../../hooks/useScans';
import { isMlGovernanceAvailable } from '../../predicates';
import { EntitySummaryFacts } from '../EntityCard/EntitySummaryFacts';
import { DecisionStatus } from '../common/DecisionStatus';
import { isNotFound } from '../common/responseErrors';
import { MissingSetupState } from '../common/MissingSetupState';
import { SeverityCounts } from '../common/SeverityCounts';
import { EntityAcceptancesCard } from './EntityAcceptancesCard';
import { FindingsSection } from './FindingsSection';
import { RescanButton } from './RescanButton';
import { ScanHistoryCard } from './ScanHistoryCard';
import { ProvenanceCard } from '../Provenance/ProvenanceCard';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

function EntityGovernanceView(props: { entityRef: string }) {
  const { entityRef } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const summary = useEntitySummary(entityRef);
  const scans = useScans(entityRef);
  const acceptances = useEntityAcceptances(entityRef);
  const { allowed: canRequestAcceptance } = usePermission({
    permission: mlGovernanceAcceptanceRequestPermission,
    resourceRef: entityRef,
  });
  const pending = (acceptances.value ?? []).filter(
    a => a.status === 'requested',
  );

  return (
    <Grid container spacing={3} data-testid="ml-governance-entity-content">
      <Grid item xs={12}>
        <Paper>
          <Box p={2}>
            {summary.loading && !summary.value && <Progress />}
            {summary.error && !isNotFound(summary.error) && (
              <ResponseErrorPanel
                error={summary.error}
                title={t('entityTab.summaryLoadError')}
              />
            )}
            {(summary.value || isNotFound(summary.error)) && (
              <Grid container spacing={2} alignItems="center">
                <Grid item xs={12} md={4}>
                  <Typography
                    variant="overline"
                    display="block"
                    color="textSecondary"
                  >
                    {t('entityTab.releaseDecision')}
                  </Typography>
                  <DecisionStatus
                    decision={summary.value?.decision ?? 'UNKNOWN'}
                    size="large"
                  />
                </Grid>
                <Grid item xs={12} md={4}>
                  <Typography
                    variant="overline"
                    display="block"
                    color="textSecondary"
                  >
                    {t('entityTab.openFindings')}
                  </Typography>
                  {summary.value ? (
                    <SeverityCounts counts={summary.value.counts} />
                  ) : (
                    t('entityTab.noneYet')
                  )}
                </Grid>
                <Grid item xs={12} md={4}>
                  {summary.value && (
                    <EntitySummaryFacts summary={summary.value} />
                  )}
                </Grid>
              </Grid>
            )}
          </Box>
        </Paper>
      </Grid>
      <Grid item xs={12}>
        <FindingsSection
          entityRef={entityRef}
          pendingAcceptances={pending}
          canRequestAcceptance={canRequestAcceptance}
          onAcceptanceRequested={() => {
            acceptances.retry();
            summary.retry();
          }}
        />
      </Grid>
      <Grid item xs={12}>
        <ProvenanceCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12} xl={6}>
        <EntityAcceptancesCard
          acceptances={acceptances.value}
          loading={acceptances.loading}
          error={acceptances.error}
          onChanged={() => {
            acceptances.retry();
            summary.retry();
          }}
        />
      </Grid>
      <Grid item xs={12} xl={6}>
        <ScanHistoryCard
          scans={scans.value}
          loading={scans.loading}
          error={scans.error}
          action={
            <RescanButton
              entityRef={entityRef}
              onQueued={() => {
                scans.retry();
                summary.retry();
              }}
            />
          }
        />
      </Grid>
    </Grid>
  );
}

/** The entity's "ML Governance" tab: decision, findings, acceptances and scan history. */
export function MlGovernanceContent() {
  const { entity } = useEntity();
  if (!isMlGovernanceAvailable(entity)) return <MissingSetupState />;
  return <EntityGovernanceView entityRef={stringifyEntityRef(entity)} />;
}
