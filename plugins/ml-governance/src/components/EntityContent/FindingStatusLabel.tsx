import type { FindingStatus } from '@ml-governance/plugin-ml-governance-common';
import Typography from '@material-ui/core/Typography';

const LABELS: Record<FindingStatus, string> = {
  open: 'Open',
  accepted: 'Accepted',
  resolved: 'Resolved',
};

export function findingStatusLabel(status: FindingStatus): string {
  return LABELS[status];
}

/** A finding's status; a pending acceptance request is shown next to an open finding. */
export function FindingStatusLabel(props: {
  status: FindingStatus;
  pendingReview?: boolean;
}) {
  return (
    <Typography variant="body2" component="span">
      {LABELS[props.status]}
      {props.pendingReview && props.status === 'open' && (
        <Typography
          variant="caption"
          component="span"
          display="block"
          color="textSecondary"
        >
          acceptance pending review
        </Typography>
      )}
    </Typography>
  );
}
