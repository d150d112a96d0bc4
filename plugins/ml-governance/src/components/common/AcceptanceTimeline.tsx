import type { AcceptanceEvent } from '@ml-governance/plugin-ml-governance-common';
import Typography from '@material-ui/core/Typography';
import Timeline from '@material-ui/lab/Timeline';
import TimelineConnector from '@material-ui/lab/TimelineConnector';
import TimelineContent from '@material-ui/lab/TimelineContent';
import TimelineDot from '@material-ui/lab/TimelineDot';
import TimelineItem from '@material-ui/lab/TimelineItem';
import TimelineOppositeContent from '@material-ui/lab/TimelineOppositeContent';
import TimelineSeparator from '@material-ui/lab/TimelineSeparator';
import { formatDateTime, shortRef } from './format';
import { acceptanceActionLabel } from './labels';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

const DOT_COLOURS: Partial<
  Record<AcceptanceEvent['action'], 'primary' | 'secondary' | 'grey'>
> = {
  approved: 'primary',
  rejected: 'secondary',
  revoked: 'secondary',
};

/** The audit trail of one acceptance, oldest first. */
export function AcceptanceTimeline(props: { history: AcceptanceEvent[] }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const events = [...props.history].sort((a, b) => a.at.localeCompare(b.at));
  if (events.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('common.noHistory')}
      </Typography>
    );
  }
  return (
    <Timeline align="left" aria-label={t('common.acceptanceHistory')}>
      {events.map((event, index) => (
        <TimelineItem key={event.id}>
          <TimelineOppositeContent style={{ flex: 0.3 }}>
            <Typography variant="caption" color="textSecondary">
              {formatDateTime(event.at)}
            </Typography>
          </TimelineOppositeContent>
          <TimelineSeparator>
            <TimelineDot color={DOT_COLOURS[event.action] ?? 'grey'} />
            {index < events.length - 1 && <TimelineConnector />}
          </TimelineSeparator>
          <TimelineContent>
            <Typography variant="body2">
              <strong>{acceptanceActionLabel(t, event.action)}</strong>{' '}
              {t('labels.acceptanceActionBy', { actor: shortRef(event.actor) })}
            </Typography>
            {event.comment && (
              <Typography variant="body2" color="textSecondary">
                “{event.comment}”
              </Typography>
            )}
          </TimelineContent>
        </TimelineItem>
      ))}
    </Timeline>
  );
}
