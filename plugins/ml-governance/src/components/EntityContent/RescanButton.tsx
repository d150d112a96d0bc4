import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { mlGovernanceScanCreatePermission } from '@ml-governance/plugin-ml-governance-common';
import Button from '@material-ui/core/Button';
import RefreshIcon from '@material-ui/icons/Refresh';
import { mlGovernanceApiRef } from '../../api';
import { useNotifyingAction } from '../../hooks/useNotifyingAction';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** Queues a manual scan; shown only to callers allowed to scan this entity. */
export function RescanButton(props: {
  entityRef: string;
  onQueued: () => void;
}) {
  const { entityRef, onQueued } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const api = useApi(mlGovernanceApiRef);
  const { busy, run } = useNotifyingAction();
  const { allowed } = usePermission({
    permission: mlGovernanceScanCreatePermission,
    resourceRef: entityRef,
  });
  if (!allowed) return null;

  const rescan = async () => {
    const scan = await run(
      () => api.triggerScan(entityRef),
      () => t('entityTab.scanQueued'),
      t('entityTab.scanFailed'),
    );
    if (scan) onQueued();
  };
  return (
    <Button
      variant="outlined"
      color="primary"
      startIcon={<RefreshIcon />}
      onClick={rescan}
      disabled={busy}
    >
      {t('entityTab.rescan')}
    </Button>
  );
}
