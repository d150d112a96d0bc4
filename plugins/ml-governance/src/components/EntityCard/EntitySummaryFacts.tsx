import type { EntitySummary } from '@ml-governance/plugin-ml-governance-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Fact } from '../common/Fact';
import { formatDateTime } from '../common/format';
import { ScanStatus } from '../common/ScanStatus';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** Last scan, its status, and the acceptances in play. */
export function EntitySummaryFacts(props: { summary: EntitySummary }) {
  const { lastScan, pendingAcceptances, acceptedCount } = props.summary;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const scannedAt = lastScan?.finishedAt ?? lastScan?.startedAt;
  return (
    <Grid container spacing={1}>
      <Fact label={t('card.lastScan')} testId="ml-governance-last-scan">
        {lastScan ? formatDateTime(scannedAt) : t('card.never')}
      </Fact>
      <Fact label={t('card.scanStatus')}>
        {lastScan ? <ScanStatus status={lastScan.status} /> : '—'}
        {lastScan?.status === 'failed' && lastScan.error && (
          <Typography variant="caption" display="block" color="error">
            {lastScan.error}
          </Typography>
        )}
      </Fact>
      <Fact
        label={t('card.pendingAcceptances')}
        testId="ml-governance-pending-acceptances"
      >
        {pendingAcceptances}
      </Fact>
      <Fact label={t('card.acceptedFindings')}>{acceptedCount}</Fact>
    </Grid>
  );
}
