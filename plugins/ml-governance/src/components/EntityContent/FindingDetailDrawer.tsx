import { Link } from '@backstage/core-components';
import type { Finding } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Divider from '@material-ui/core/Divider';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { ReactNode } from 'react';
import {
  evidenceEntries,
  formatDateTime,
  formatLocation,
} from '../common/format';
import { SeverityChip } from '../common/SeverityChip';
import { FindingStatusLabel } from './FindingStatusLabel';
import { RetestCommand } from './RetestCommand';
import { StandardsMapping } from './StandardsMapping';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Box mt={2}>
      <Typography variant="overline" component="h3" color="textSecondary">
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

/**
 * Everything about one finding: message, evidence, fix hint, docs link and the command that
 * re-checks it locally; acceptance can be requested for the finding or for its whole rule.
 */
export function FindingDetailDrawer(props: {
  finding: Finding;
  pendingReview: boolean;
  canRequestAcceptance: boolean;
  onClose: () => void;
  onRequestForFinding: (finding: Finding) => void;
  onRequestForRule: (finding: Finding) => void;
}) {
  const { finding, pendingReview, canRequestAcceptance, onClose } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const evidence = evidenceEntries(t, finding);
  return (
    <Drawer
      anchor="right"
      open
      onClose={onClose}
      PaperProps={
        {
          style: { width: 560, maxWidth: '100vw' },
          role: 'dialog',
          'aria-labelledby': 'ml-governance-finding-title',
        } as object
      }
    >
      <Box p={3}>
        <Box
          display="flex"
          alignItems="flex-start"
          justifyContent="space-between"
        >
          <div>
            <Typography variant="h6" id="ml-governance-finding-title">
              {finding.ruleId}: {finding.title}
            </Typography>
            <Box display="flex" alignItems="center" style={{ gap: 8 }} mt={1}>
              <SeverityChip severity={finding.severity} />
              <FindingStatusLabel
                status={finding.status}
                pendingReview={pendingReview}
              />
            </Box>
          </div>
          {/* Focus starts on Close, so Enter/Escape return to the table at once. */}
          <IconButton
            aria-label={t('findings.drawer.close')}
            onClick={onClose}
            // eslint-disable-next-line jsx-a11y/no-autofocus
            autoFocus
          >
            <CloseIcon />
          </IconButton>
        </Box>
        <Section title={t('findings.drawer.whatWasFound')}>
          <Typography variant="body2">{finding.message}</Typography>
        </Section>
        <Section title={t('findings.drawer.where')}>
          <Typography
            variant="body2"
            style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
          >
            {formatLocation(t, finding.location)}
          </Typography>
          <Typography variant="caption" color="textSecondary" display="block">
            {t('labels.findingTarget', { target: finding.target })}
          </Typography>
          {evidence.length > 0 && (
            <Box component="dl" mt={1} mb={0}>
              {evidence.map(entry => (
                <Box key={entry.label} display="flex" style={{ gap: 8 }}>
                  <Typography
                    component="dt"
                    variant="caption"
                    color="textSecondary"
                    style={{ minWidth: 110 }}
                  >
                    {entry.label}
                  </Typography>
                  <Typography
                    component="dd"
                    variant="caption"
                    style={{
                      margin: 0,
                      fontFamily: 'monospace',
                      wordBreak: 'break-all',
                    }}
                  >
                    {entry.value}
                  </Typography>
                </Box>
              ))}
            </Box>
          )}
        </Section>
        <Section title={t('findings.drawer.howToFix')}>
          <Typography variant="body2">{finding.fix}</Typography>
          {finding.docsUrl && (
            <Typography variant="body2">
              <Link to={finding.docsUrl}>
                {t('labels.ruleDocs', { ruleId: finding.ruleId })}
              </Link>
            </Typography>
          )}
        </Section>
        {finding.retest && (
          <Section title={t('findings.drawer.recheck')}>
            <RetestCommand command={finding.retest} />
          </Section>
        )}
        <Section title={t('findings.drawer.standards')}>
          <StandardsMapping cwe={finding.cwe} owaspLlm={finding.owaspLlm} />
        </Section>
        <Section title={t('findings.drawer.seen')}>
          <Typography variant="body2">
            {finding.resolvedAt
              ? t('labels.seenResolved', {
                  first: formatDateTime(finding.firstSeenAt),
                  last: formatDateTime(finding.lastSeenAt),
                  resolved: formatDateTime(finding.resolvedAt),
                })
              : t('labels.seenFirstLast', {
                  first: formatDateTime(finding.firstSeenAt),
                  last: formatDateTime(finding.lastSeenAt),
                })}
          </Typography>
        </Section>
        {canRequestAcceptance && finding.status === 'open' && (
          <>
            <Box mt={3} mb={2}>
              <Divider />
            </Box>
            <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
              <Button
                variant="contained"
                color="primary"
                disabled={pendingReview}
                onClick={() => props.onRequestForFinding(finding)}
              >
                {t('findings.requestAcceptance')}
              </Button>
              <Button
                variant="outlined"
                onClick={() => props.onRequestForRule(finding)}
              >
                {t('findings.requestAcceptanceForRule', {
                  ruleId: finding.ruleId,
                })}
              </Button>
            </Box>
          </>
        )}
      </Box>
    </Drawer>
  );
}
