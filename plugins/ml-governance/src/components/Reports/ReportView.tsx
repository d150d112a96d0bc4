import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useStaleImportReport } from '../../hooks/useStaleImportReports';
import { formatDateTime } from '../common/format';
import { ReportDownloadLinks } from './ReportDownloadLinks';
import { ReportTeamSection } from './ReportTeamSection';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** One stale-import report: when it was made, its exports, and a section per team. */
export function ReportView(props: { reportId: string }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const {
    value: report,
    loading,
    error,
  } = useStaleImportReport(props.reportId);
  if (loading) return <Progress />;
  if (error)
    return (
      <ResponseErrorPanel error={error} title={t('reports.reportLoadError')} />
    );
  if (!report) return null;
  return (
    <>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        justifyContent="space-between"
        mb={2}
        style={{ gap: 16 }}
      >
        <Typography variant="body2" color="textSecondary">
          {t('labels.reportHeadline', {
            period: report.period,
            date: formatDateTime(report.generatedAt),
            trigger:
              report.trigger === 'manual'
                ? t('labels.reportOnDemand')
                : t('labels.reportScheduled'),
          })}
        </Typography>
        <ReportDownloadLinks reportId={report.id} period={report.period} />
      </Box>
      {report.teams.length === 0 ? (
        <EmptyState
          missing="data"
          title={t('reports.nothingToReport')}
          description={t('reports.nothingToReportDescription')}
        />
      ) : (
        <Grid container spacing={3}>
          {report.teams.map(section => (
            <Grid item xs={12} key={section.owner}>
              <ReportTeamSection section={section} />
            </Grid>
          ))}
        </Grid>
      )}
    </>
  );
}
