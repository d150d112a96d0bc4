import type { Finding } from '@ml-governance/plugin-ml-governance-common';
import type { TranslationFunction } from '@backstage/frontend-plugin-api';
import { memo } from 'react';
import type { mlGovernanceTranslationRef } from '../../translation';
import {
  evidenceEntries,
  formatDateTime,
  formatLocation,
} from '../common/format';
import { SEVERITY_COLOURS } from '../common/severity';
import { findingStatusLabel, severityLabel } from '../common/labels';
import type { FindingRowClasses } from './findingRowStyles';
import { cweUrl } from './StandardsMapping';

/**
 * One finding as a table row, in plain elements styled by one shared stylesheet (see
 * findingRowStyles); memoised so a page change re-renders only the rows that changed.
 */
export const FindingRow = memo(function FindingRowView(props: {
  finding: Finding;
  pendingReview: boolean;
  canRequestAcceptance: boolean;
  onShowDetails: (finding: Finding) => void;
  onRequestAcceptance: (finding: Finding) => void;
  classes: FindingRowClasses;
  /** The table's translate function: one hook per table, not per row (rows render by the thousand). */
  t: TranslationFunction<typeof mlGovernanceTranslationRef.T>;
}) {
  const {
    finding,
    pendingReview,
    canRequestAcceptance,
    onShowDetails,
    onRequestAcceptance,
    classes,
    t,
  } = props;
  const colours = SEVERITY_COLOURS[finding.severity];
  const evidence = evidenceEntries(t, finding).slice(0, 2);
  return (
    <tr className={classes.row} data-testid="ml-governance-finding-row">
      <td className={classes.cell}>
        <span className={classes.ruleId}>{finding.ruleId}</span>
        <span className={classes.caption}>{finding.title}</span>
      </td>
      <td className={classes.cell}>
        <span
          className={classes.chip}
          style={{ backgroundColor: colours.background, color: colours.text }}
        >
          {severityLabel(t, finding.severity)}
        </span>
      </td>
      <td className={classes.cell}>
        {finding.cwe.length === 0 && finding.owaspLlm.length === 0 && '—'}
        {finding.cwe.map(id => {
          const url = cweUrl(id);
          return (
            <span key={id} className={classes.captionPlain}>
              {url ? (
                <a
                  className={classes.link}
                  href={url}
                  target="_blank"
                  rel="noopener noreferrer"
                >
                  {id}
                </a>
              ) : (
                id
              )}
            </span>
          );
        })}
        {finding.owaspLlm.map(id => (
          <span key={id} className={classes.captionPlain}>
            {t('labels.owasp', { id })}
          </span>
        ))}
      </td>
      <td className={`${classes.cell} ${classes.evidence}`}>
        <span className={classes.location}>
          {formatLocation(t, finding.location)}
        </span>
        {evidence.map(entry => (
          <span key={entry.label} className={classes.caption}>
            {entry.label}: <code>{entry.value}</code>
          </span>
        ))}
      </td>
      <td className={classes.cell}>
        <span className={classes.captionPlain}>
          {formatDateTime(finding.firstSeenAt)}
          <br />
          {formatDateTime(finding.lastSeenAt)}
        </span>
      </td>
      <td className={classes.cell}>
        {findingStatusLabel(t, finding.status)}
        {pendingReview && finding.status === 'open' && (
          <span className={classes.caption}>{t('findings.pendingReview')}</span>
        )}
      </td>
      <td className={classes.cell}>
        <div className={classes.actions}>
          <button
            type="button"
            className={`${classes.button} ${classes.primaryButton}`}
            onClick={() => onShowDetails(finding)}
          >
            {t('findings.details')}
          </button>
          {canRequestAcceptance &&
            finding.status === 'open' &&
            !pendingReview && (
              <button
                type="button"
                className={classes.button}
                onClick={() => onRequestAcceptance(finding)}
                data-testid="ml-governance-request-acceptance"
              >
                {t('findings.requestAcceptance')}
              </button>
            )}
        </div>
      </td>
    </tr>
  );
});
