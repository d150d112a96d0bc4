import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { EntityDecision } from '@ml-governance/plugin-ml-governance-common';
import Typography from '@material-ui/core/Typography';
import { decisionDescription, decisionLabel } from './labels';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

function StatusIcon({
  decision,
  children,
}: {
  decision: EntityDecision;
  children: string;
}) {
  switch (decision) {
    case 'BLOCK':
      return <StatusError>{children}</StatusError>;
    case 'TICKET':
      return <StatusWarning>{children}</StatusWarning>;
    case 'PASS':
      return <StatusOK>{children}</StatusOK>;
    default:
      return <StatusPending>{children}</StatusPending>;
  }
}

/** The release decision: a coloured status with the decision word and what it means. */
export function DecisionStatus(props: {
  decision: EntityDecision;
  size?: 'large' | 'small';
}) {
  const { decision, size = 'small' } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <span data-testid="ml-governance-decision" data-decision={decision}>
      <Typography
        component="span"
        variant={size === 'large' ? 'h5' : 'body2'}
        style={{ fontWeight: 600 }}
      >
        <StatusIcon decision={decision}>
          {decisionLabel(t, decision)}
        </StatusIcon>
      </Typography>
      {size === 'large' && (
        <Typography component="span" variant="body2" color="textSecondary">
          {' '}
          {decisionDescription(t, decision)}
        </Typography>
      )}
    </span>
  );
}
