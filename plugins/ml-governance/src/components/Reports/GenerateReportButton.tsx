import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  StaleImportReportMeta,
  mlGovernanceReportCreatePermission,
} from '@ml-governance/plugin-ml-governance-common';
import Button from '@material-ui/core/Button';
import { mlGovernanceApiRef } from '../../api';
import { useNotifyingAction } from '../../hooks/useNotifyingAction';

/** Generates a report now; shown only to users allowed to create reports. */
export function GenerateReportButton(props: {
  onGenerated: (report: StaleImportReportMeta) => void;
}) {
  const api = useApi(mlGovernanceApiRef);
  const { busy, run } = useNotifyingAction();
  const { allowed } = usePermission({
    permission: mlGovernanceReportCreatePermission,
  });
  if (!allowed) return null;
  const generate = async () => {
    const report = await run(
      () => api.generateStaleImportReport(),
      generated => `Report ${generated.period} generated.`,
      'Could not generate the report',
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
      {busy ? 'Generating…' : 'Generate now'}
    </Button>
  );
}
