import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useStaleImportReports } from '../../hooks/useStaleImportReports';
import { formatDateTime } from '../common/format';
import { GenerateReportButton } from './GenerateReportButton';
import { ReportView } from './ReportView';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** The quarterly stale-import report: the latest by default, earlier ones by period. */
export function StaleImportReportPage() {
  const { value: reports, loading, error, retry } = useStaleImportReports();
  const [selectedId, setSelectedId] = useState<string>();
  const { t } = useTranslationRef(mlGovernanceTranslationRef);

  let body;
  if (loading && !reports) body = <Progress />;
  else if (error)
    body = <ResponseErrorPanel error={error} title={t('reports.loadError')} />;
  else if (!reports || reports.length === 0)
    body = (
      <EmptyState
        missing="data"
        title={t('reports.noReport')}
        description={t('reports.noReportDescription')}
      />
    );
  else {
    const reportId = selectedId ?? reports[0].id;
    body = (
      <>
        <Box mb={2}>
          <TextField
            id="ml-governance-report-select"
            select
            label={t('reports.report')}
            size="small"
            variant="outlined"
            value={reportId}
            onChange={event => setSelectedId(event.target.value)}
            style={{ minWidth: 260 }}
          >
            {reports.map((meta, index) => (
              <MenuItem key={meta.id} value={meta.id}>
                {index === 0
                  ? t('labels.latestReport', { period: meta.period })
                  : meta.period}{' '}
                — {formatDateTime(meta.generatedAt)}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        <ReportView key={reportId} reportId={reportId} />
      </>
    );
  }

  return (
    <div data-testid="ml-governance-reports-page">
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        mb={2}
      >
        <Typography variant="h5" component="h2">
          {t('labels.reportsHeading')}
        </Typography>
        <GenerateReportButton
          onGenerated={report => {
            setSelectedId(report.id);
            retry();
          }}
        />
      </Box>
      {body}
    </div>
  );
}
