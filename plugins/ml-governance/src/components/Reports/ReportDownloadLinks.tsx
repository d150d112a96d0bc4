import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceApiRef } from '../../api';
import { mlGovernanceTranslationRef } from '../../translation';
import { DownloadLinks } from '../common/DownloadLinks';

/** CSV and JSON exports of one stale-import report. */
export function ReportDownloadLinks(props: {
  reportId: string;
  period: string;
}) {
  const { reportId, period } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const api = useApi(mlGovernanceApiRef);
  return (
    <DownloadLinks
      urlFor={format => api.getStaleImportReportDownloadUrl(reportId, format)}
      deps={[api, reportId]}
      fileName={`stale-imports-${period}`}
      failure={message => t('reports.downloadFailed', { message })}
      testIdPrefix="ml-governance-report"
    />
  );
}
