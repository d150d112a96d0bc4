import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ArtifactVersion } from '@ml-governance/plugin-ml-governance-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useState } from 'react';
import { mlGovernanceTranslationRef } from '../../translation';
import { formatDateTime, shortRef } from '../common/format';
import { PromotionDialog } from './PromotionDialog';
import { StageChip } from './StageChip';
import type { VersionAction } from './versionActions';

const BUTTON_LABELS = {
  request: 'requestPromotion',
  security: 'signOffSecurity',
  owner: 'signOffOwner',
  reject: 'reject',
} as const;

/** One version: stage, digest, sign-offs, audit trail, and the actions this user may take. */
export function VersionItem(props: {
  version: ArtifactVersion;
  actions: VersionAction[];
  onChanged: () => void;
  onConflict: () => void;
  defaultExpanded?: boolean;
}) {
  const { version, actions, onChanged, onConflict } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const [acting, setActing] = useState<VersionAction>();
  const summaryId = `ml-governance-version-${version.id}`;
  return (
    <Accordion
      TransitionProps={{ unmountOnExit: true }}
      defaultExpanded={props.defaultExpanded}
      data-testid="ml-governance-version"
      data-digest={version.digest}
    >
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
        >
          <StageChip stage={version.stage} />
          <Typography
            variant="body2"
            style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
          >
            {version.digest}
          </Typography>
          {version.current && (
            <Typography variant="caption" color="primary">
              {t('promotion.current')}
            </Typography>
          )}
          {version.decision && (
            <Typography variant="caption" color="textSecondary">
              {t('promotion.decision', { decision: version.decision })}
            </Typography>
          )}
        </Box>
      </AccordionSummary>
      <AccordionDetails id={`${summaryId}-details`}>
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <Typography variant="body2">
              {t('promotion.target')}: {version.target}
            </Typography>
            {version.promotionRequestedBy && (
              <Typography variant="body2">
                {t('promotion.requestedBy', {
                  who: shortRef(version.promotionRequestedBy),
                })}
              </Typography>
            )}
            <Typography
              variant="overline"
              color="textSecondary"
              display="block"
            >
              {t('promotion.signOffs')}
            </Typography>
            {version.signOffs.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                {t('promotion.noSignOffs')}
              </Typography>
            ) : (
              <ul aria-label={t('promotion.signOffs')}>
                {version.signOffs.map(signOff => (
                  <li key={signOff.kind} data-testid="ml-governance-sign-off">
                    <Typography variant="body2">
                      {t('promotion.signedBy', {
                        kind: t(`promotion.signOffKinds.${signOff.kind}`),
                        who: shortRef(signOff.actor),
                      })}{' '}
                      ({formatDateTime(signOff.at)}): {signOff.comment}
                    </Typography>
                  </li>
                ))}
              </ul>
            )}
          </Grid>
          <Grid item xs={12} md={6}>
            <Typography
              variant="overline"
              color="textSecondary"
              display="block"
            >
              {t('promotion.auditTrail')}
            </Typography>
            <ol aria-label={t('promotion.auditTrail')}>
              {version.history.map(event => (
                <li key={event.id}>
                  <Typography variant="body2">
                    <strong>{t(`promotion.actions.${event.action}`)}</strong>{' '}
                    {shortRef(event.actor)} · {formatDateTime(event.at)}
                    {event.comment ? ` — ${event.comment}` : ''}
                  </Typography>
                </li>
              ))}
            </ol>
          </Grid>
          {actions.length > 0 && (
            <Grid item xs={12}>
              <Box display="flex" style={{ gap: 8 }}>
                {actions.map(action => (
                  <Button
                    key={action}
                    variant={action === 'reject' ? 'outlined' : 'contained'}
                    color={action === 'reject' ? 'secondary' : 'primary'}
                    onClick={() => setActing(action)}
                  >
                    {t(`promotion.${BUTTON_LABELS[action]}`)}
                  </Button>
                ))}
              </Box>
            </Grid>
          )}
        </Grid>
        {acting && (
          <PromotionDialog
            version={version}
            action={acting}
            onClose={() => setActing(undefined)}
            onDone={() => {
              setActing(undefined);
              onChanged();
            }}
            onConflict={() => {
              setActing(undefined);
              onConflict();
            }}
          />
        )}
      </AccordionDetails>
    </Accordion>
  );
}
