import type { AcceptanceStatus } from '@ml-governance/plugin-ml-governance-common';
import Chip from '@material-ui/core/Chip';

const LABELS: Record<AcceptanceStatus, string> = {
  requested: 'Pending review',
  active: 'Active',
  rejected: 'Rejected',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** Where an acceptance is in its lifecycle. */
export function AcceptanceStatusChip(props: { status: AcceptanceStatus }) {
  const { status } = props;
  return (
    <Chip
      size="small"
      variant={
        status === 'active' || status === 'requested' ? 'default' : 'outlined'
      }
      color={status === 'active' ? 'primary' : 'default'}
      label={LABELS[status]}
      data-testid="ml-governance-acceptance-status"
      data-status={status}
    />
  );
}

export function acceptanceStatusLabel(status: AcceptanceStatus): string {
  return LABELS[status];
}
