import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import type { AcceptanceWithHistory } from '@ml-governance/plugin-ml-governance-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { describeAcceptanceScope } from '../common/acceptanceScope';
import { AcceptanceStatusChip } from '../common/AcceptanceStatusChip';
import { AcceptanceTimeline } from '../common/AcceptanceTimeline';
import { ChecklistSummary } from '../common/ChecklistSummary';
import { JustificationText } from '../common/JustificationText';
import { formatDate, shortRef } from '../common/format';

function AcceptanceItem(props: { acceptance: AcceptanceWithHistory }) {
  const { acceptance } = props;
  const summaryId = `ml-governance-acceptance-${acceptance.id}`;
  return (
    <Accordion TransitionProps={{ unmountOnExit: true }}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        id={summaryId}
        aria-controls={`${summaryId}-details`}
      >
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 12 }}
          width="100%"
        >
          <AcceptanceStatusChip status={acceptance.status} />
          <Typography variant="body2" style={{ fontWeight: 600 }}>
            {describeAcceptanceScope(acceptance)}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            by {shortRef(acceptance.requestedBy)}, expires{' '}
            {formatDate(acceptance.expiresAt)}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails id={`${summaryId}-details`}>
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <JustificationText text={acceptance.justification} />
            <ChecklistSummary checklist={acceptance.checklist} />
          </Grid>
          <Grid item xs={12} md={6}>
            <Typography variant="overline" color="textSecondary">
              History
            </Typography>
            <AcceptanceTimeline history={acceptance.history} />
          </Grid>
        </Grid>
      </AccordionDetails>
    </Accordion>
  );
}

/** The entity's risk acceptances (pending, active and past) with their audit trail. */
export function EntityAcceptancesCard(props: {
  acceptances: AcceptanceWithHistory[] | undefined;
  loading: boolean;
  error?: Error;
}) {
  const { acceptances, loading, error } = props;
  let body;
  if (loading && !acceptances) body = <Progress />;
  else if (error)
    body = (
      <ResponseErrorPanel error={error} title="Could not load acceptances" />
    );
  else if (!acceptances || acceptances.length === 0)
    body = (
      <Typography variant="body2" color="textSecondary">
        No risk acceptances on this entity. Owners can request one from a
        finding.
      </Typography>
    );
  else
    body = acceptances.map(acceptance => (
      <AcceptanceItem key={acceptance.id} acceptance={acceptance} />
    ));
  return <InfoCard title="Risk acceptances">{body}</InfoCard>;
}
