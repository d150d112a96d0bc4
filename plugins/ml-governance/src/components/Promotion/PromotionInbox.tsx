import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { useApprovalsInbox } from '../../hooks/usePromotions';
import { mlGovernanceTranslationRef } from '../../translation';
import { AcceptanceQueue } from '../Approvals/AcceptanceQueue';
import { VersionItem } from './VersionItem';

/**
 * Everything the signed-in user can decide, together: promotions awaiting a sign-off they may give
 * (the backend says which) and the risk acceptances awaiting their decision.
 */
export function PromotionInbox() {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const inbox = useApprovalsInbox();
  const [conflict, setConflict] = useState(false);

  let promotions;
  if (inbox.loading && !inbox.value) promotions = <Progress />;
  else if (inbox.error)
    promotions = (
      <ResponseErrorPanel
        error={inbox.error}
        title={t('promotion.inboxLoadError')}
      />
    );
  else if (!inbox.value || inbox.value.promotions.length === 0)
    promotions = (
      <EmptyState missing="data" title={t('promotion.nothingToSign')} />
    );
  else
    promotions = inbox.value.promotions.map(version => (
      <VersionItem
        key={version.id}
        version={version}
        actions={[
          ...version.canSignOff,
          ...(version.canReject ? (['reject'] as const) : []),
        ]}
        onChanged={inbox.retry}
        onConflict={() => {
          setConflict(true);
          inbox.retry();
        }}
        defaultExpanded
      />
    ));

  return (
    <div data-testid="ml-governance-approvals-inbox">
      <Typography variant="h6" component="h2" gutterBottom>
        {t('promotion.inboxPromotions')}
      </Typography>
      {conflict && (
        <Box mb={2}>
          <Alert severity="warning" onClose={() => setConflict(false)}>
            {t('promotion.conflict')}
          </Alert>
        </Box>
      )}
      <Box mb={4}>{promotions}</Box>
      <Typography variant="h6" component="h2" gutterBottom>
        {t('promotion.inboxAcceptances')}
      </Typography>
      <AcceptanceQueue view="to-decide" />
    </div>
  );
}
