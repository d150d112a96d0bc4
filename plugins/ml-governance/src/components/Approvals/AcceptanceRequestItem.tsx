import { Link } from '@backstage/core-components';
import type { AcceptanceWithHistory } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { useEntityTabLink } from '../../hooks/useEntityTabLink';
import { describeAcceptanceScope } from '../common/labels';
import { AcceptanceStatusChip } from '../common/AcceptanceStatusChip';
import { AcceptanceTimeline } from '../common/AcceptanceTimeline';
import { ChecklistSummary } from '../common/ChecklistSummary';
import { JustificationText } from '../common/JustificationText';
import { formatDate, formatDateTime, shortRef } from '../common/format';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** One acceptance request as an approver reviews it, with decide buttons when allowed. */
export function AcceptanceRequestItem(props: {
  acceptance: AcceptanceWithHistory;
  /** Decide buttons show only when the caller may decide and did not make the request. */
  canDecide: boolean;
  onDecide?: (decision: 'approve' | 'reject') => void;
  showHistory?: boolean;
}) {
  const { acceptance, canDecide, onDecide, showHistory } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const tabLink = useEntityTabLink();
  const headingId = `ml-governance-request-${acceptance.id}`;
  const scope = describeAcceptanceScope(t, acceptance);
  return (
    <Paper
      component="article"
      aria-labelledby={headingId}
      data-testid="ml-governance-acceptance-item"
      style={{ marginBottom: 16 }}
    >
      <Box p={2}>
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 12 }}
          mb={1}
        >
          <Typography
            variant="h6"
            component="h3"
            id={headingId}
            style={{ fontSize: '1rem' }}
          >
            {/* the link is interpolated, so a language may put the entity anywhere in the sentence */}
            {t('labels.scope.onEntity', {
              scope,
              entity: (
                <Link to={tabLink(acceptance.entityRef)}>
                  {shortRef(acceptance.entityRef)}
                </Link>
              ),
            })}
          </Typography>
          <AcceptanceStatusChip status={acceptance.status} />
        </Box>
        <Grid container spacing={2}>
          <Grid item xs={12} md={7}>
            <JustificationText text={acceptance.justification} />
            <Typography variant="caption" color="textSecondary" component="p">
              {t('labels.requestedByOn', {
                who: shortRef(acceptance.requestedBy),
                date: formatDateTime(acceptance.requestedAt),
                expires: formatDate(acceptance.expiresAt),
              })}
              {acceptance.decidedBy &&
                (acceptance.decisionComment
                  ? t('labels.decidedByWithComment', {
                      who: shortRef(acceptance.decidedBy),
                      comment: acceptance.decisionComment,
                    })
                  : t('labels.decidedBy', {
                      who: shortRef(acceptance.decidedBy),
                    }))}
            </Typography>
          </Grid>
          <Grid item xs={12} md={5}>
            <ChecklistSummary checklist={acceptance.checklist} />
          </Grid>
          {showHistory && (
            <Grid item xs={12}>
              <AcceptanceTimeline history={acceptance.history} />
            </Grid>
          )}
        </Grid>
        {canDecide && acceptance.status === 'requested' && onDecide && (
          <Box display="flex" style={{ gap: 8 }} mt={1}>
            <Button
              variant="contained"
              color="primary"
              onClick={() => onDecide('approve')}
              data-testid="ml-governance-approve"
            >
              {t('approvals.approve')}
            </Button>
            <Button
              variant="outlined"
              onClick={() => onDecide('reject')}
              data-testid="ml-governance-reject"
            >
              {t('approvals.reject')}
            </Button>
          </Box>
        )}
      </Box>
    </Paper>
  );
}
