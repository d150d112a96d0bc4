import type { FindingStatus } from '@ml-governance/plugin-ml-governance-common';
import Typography from '@material-ui/core/Typography';
import { findingStatusLabel } from '../common/labels';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** A finding's status; a pending acceptance request is shown next to an open finding. */
export function FindingStatusLabel(props: {
  status: FindingStatus;
  pendingReview?: boolean;
}) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <Typography variant="body2" component="span">
      {findingStatusLabel(t, props.status)}
      {props.pendingReview && props.status === 'open' && (
        <Typography
          variant="caption"
          component="span"
          display="block"
          color="textSecondary"
        >
          {t('findings.pendingReview')}
        </Typography>
      )}
    </Typography>
  );
}
