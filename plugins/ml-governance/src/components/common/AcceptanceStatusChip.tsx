import type { AcceptanceStatus } from '@ml-governance/plugin-ml-governance-common';
import Chip from '@material-ui/core/Chip';
import { acceptanceStatusLabel } from './labels';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** Where an acceptance is in its lifecycle. */
export function AcceptanceStatusChip(props: { status: AcceptanceStatus }) {
  const { status } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <Chip
      size="small"
      variant={
        status === 'active' || status === 'requested' ? 'default' : 'outlined'
      }
      color={status === 'active' ? 'primary' : 'default'}
      label={acceptanceStatusLabel(t, status)}
      data-testid="ml-governance-acceptance-status"
      data-status={status}
    />
  );
}
