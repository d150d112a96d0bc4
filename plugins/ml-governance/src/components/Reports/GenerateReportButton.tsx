import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  StaleImportReportMeta,
  mlGovernanceReportCreatePermission,
} from '@ml-governance/plugin-ml-governance-common';
import Button from '@material-ui/core/Button';
import { mlGovernanceApiRef } from '../../api';
import { useNotifyingAction } from '../../hooks/useNotifyingAction';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** Generates a report now; shown only to users allowed to create reports. */
export function GenerateReportButton(props: {
  onGenerated: (report: StaleImportReportMeta) => void;
}) {
  const api = useApi(mlGovernanceApiRef);
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const { busy, run } = useNotifyingAction();
  const { allowed } = usePermission({
    permission: mlGovernanceReportCreatePermission,
  });
  if (!allowed) return null;
  const generate = async () => {
    const report = await run(
      () => api.generateStaleImportReport(),
      generated => t('reports.generated', { period: generated.period }),
      t('reports.generateFailed'),
    );
    if (report) props.onGenerated(report);
  };
  return (
    <Button
      variant="outlined"
      color="primary"
      onClick={generate}
      disabled={busy}
    >
      {busy ? t('reports.generating') : t('reports.generate')}
    </Button>
  );
}
