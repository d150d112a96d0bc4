import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  AcceptanceWithHistory,
  mlGovernanceAcceptanceDecidePermission,
} from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { useAcceptanceList } from '../../hooks/useAcceptanceList';
import { useCurrentUserRef } from '../../hooks/useCurrentUserRef';
import { useNotify } from '../../hooks/useNotify';
import { AcceptanceRequestItem } from './AcceptanceRequestItem';
import { DecisionDialog } from './DecisionDialog';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/**
 * Requests waiting for a decision (`to-decide`) or the caller's own requests (`mine`). Decide buttons
 * need the decide permission and never show on the caller's own requests.
 */
export function AcceptanceQueue(props: { view: 'to-decide' | 'mine' }) {
  const { view } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const notify = useNotify();
  const { value, loading, error, retry } = useAcceptanceList(view);
  const currentUser = useCurrentUserRef();
  const { allowed: mayDecide } = usePermission({
    permission: mlGovernanceAcceptanceDecidePermission,
  });
  const [deciding, setDeciding] = useState<{
    acceptance: AcceptanceWithHistory;
    decision: 'approve' | 'reject';
  }>();
  const [conflict, setConflict] = useState(false);

  if (loading && !value) return <Progress />;
  if (error)
    return (
      <ResponseErrorPanel error={error} title={t('approvals.loadError')} />
    );

  const items = value ?? [];
  const canDecide = (acceptance: AcceptanceWithHistory) =>
    view === 'to-decide' &&
    mayDecide &&
    currentUser !== undefined &&
    acceptance.requestedBy !== currentUser;

  return (
    <>
      {conflict && (
        <Box mb={2}>
          <Alert
            severity="warning"
            onClose={() => setConflict(false)}
            data-testid="ml-governance-conflict"
          >
            {t('approvals.conflict')}
          </Alert>
        </Box>
      )}
      {items.length === 0 ? (
        <EmptyState
          missing="data"
          title={
            view === 'to-decide'
              ? t('approvals.nothingToDecide')
              : t('approvals.noRequests')
          }
          description={
            view === 'to-decide'
              ? t('approvals.nothingToDecideDescription')
              : t('approvals.noRequestsDescription')
          }
        />
      ) : (
        items.map(acceptance => (
          <AcceptanceRequestItem
            key={acceptance.id}
            acceptance={acceptance}
            canDecide={canDecide(acceptance)}
            showHistory={view === 'mine'}
            onDecide={decision => {
              setConflict(false);
              setDeciding({ acceptance, decision });
            }}
          />
        ))
      )}
      {deciding && (
        <DecisionDialog
          acceptance={deciding.acceptance}
          decision={deciding.decision}
          onClose={() => setDeciding(undefined)}
          onDecided={decided => {
            setDeciding(undefined);
            notify(
              decided.status === 'active'
                ? t('approvals.approved')
                : t('approvals.rejected'),
              'success',
            );
            retry();
          }}
          onConflict={() => {
            setDeciding(undefined);
            setConflict(true);
            retry();
          }}
        />
      )}
    </>
  );
}
