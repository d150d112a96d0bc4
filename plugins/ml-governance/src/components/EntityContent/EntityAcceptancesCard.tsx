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
import Button from '@material-ui/core/Button';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { usePermission } from '@backstage/plugin-permission-react';
import { mlGovernanceAcceptanceDecidePermission } from '@ml-governance/plugin-ml-governance-common';
import { useState } from 'react';
import { DecisionDialog } from '../Approvals/DecisionDialog';
import { describeAcceptanceScope } from '../common/labels';
import { AcceptanceStatusChip } from '../common/AcceptanceStatusChip';
import { AcceptanceTimeline } from '../common/AcceptanceTimeline';
import { ChecklistSummary } from '../common/ChecklistSummary';
import { JustificationText } from '../common/JustificationText';
import { formatDate, shortRef } from '../common/format';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** Approvers may withdraw an active acceptance early; the findings it waived count again at once. */
function RevokeAction(props: {
  acceptance: AcceptanceWithHistory;
  onChanged: () => void;
}) {
  const { acceptance, onChanged } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const { allowed } = usePermission({
    permission: mlGovernanceAcceptanceDecidePermission,
  });
  const [open, setOpen] = useState(false);
  if (!allowed || acceptance.status !== 'active') return null;
  const done = () => {
    setOpen(false);
    onChanged();
  };
  return (
    <>
      <Button
        variant="outlined"
        color="secondary"
        data-testid="ml-governance-revoke"
        onClick={() => setOpen(true)}
      >
        {t('acceptance.revoke')}
      </Button>
      {open && (
        <DecisionDialog
          acceptance={acceptance}
          decision="revoke"
          onClose={() => setOpen(false)}
          onDecided={done}
          onConflict={done}
        />
      )}
    </>
  );
}

function AcceptanceItem(props: {
  acceptance: AcceptanceWithHistory;
  onChanged: () => void;
}) {
  const { acceptance, onChanged } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
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
            {describeAcceptanceScope(t, acceptance)}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {t('labels.requestedByExpires', {
              who: shortRef(acceptance.requestedBy),
              date: formatDate(acceptance.expiresAt),
            })}
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
              {t('acceptance.history')}
            </Typography>
            <AcceptanceTimeline history={acceptance.history} />
          </Grid>
          <Grid item xs={12}>
            <RevokeAction acceptance={acceptance} onChanged={onChanged} />
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
  /** Called after an acceptance changed here (revoked), to refresh what depends on it. */
  onChanged: () => void;
}) {
  const { acceptances, loading, error, onChanged } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  let body;
  if (loading && !acceptances) body = <Progress />;
  else if (error)
    body = (
      <ResponseErrorPanel error={error} title={t('acceptance.loadError')} />
    );
  else if (!acceptances || acceptances.length === 0)
    body = (
      <Typography variant="body2" color="textSecondary">
        {t('labels.noAcceptances')}
      </Typography>
    );
  else
    body = acceptances.map(acceptance => (
      <AcceptanceItem
        key={acceptance.id}
        acceptance={acceptance}
        onChanged={onChanged}
      />
    ));
  return <InfoCard title={t('acceptance.risksTitle')}>{body}</InfoCard>;
}
