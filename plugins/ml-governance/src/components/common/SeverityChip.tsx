import type { Severity } from '@ml-governance/plugin-ml-governance-common';
import Chip from '@material-ui/core/Chip';
import { SEVERITY_COLOURS } from './severity';
import { severityLabel } from './labels';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** A severity as a small coloured chip; the label is always written out, never colour alone. */
export function SeverityChip(props: { severity: Severity; count?: number }) {
  const { severity, count } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const colours = SEVERITY_COLOURS[severity];
  const label =
    count === undefined
      ? severityLabel(t, severity)
      : t('labels.severityCount', {
          severity: severityLabel(t, severity),
          total: String(count),
        });
  return (
    <Chip
      size="small"
      label={label}
      style={{
        backgroundColor: colours.background,
        color: colours.text,
        opacity: count === 0 ? 0.55 : 1,
      }}
    />
  );
}
