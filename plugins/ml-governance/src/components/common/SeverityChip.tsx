import type { Severity } from '@ml-governance/plugin-ml-governance-common';
import Chip from '@material-ui/core/Chip';
import { SEVERITY_COLOURS, SEVERITY_LABELS } from './severity';

/** A severity as a small coloured chip; the label is always written out, never colour alone. */
export function SeverityChip(props: { severity: Severity; count?: number }) {
  const { severity, count } = props;
  const colours = SEVERITY_COLOURS[severity];
  const label =
    count === undefined
      ? SEVERITY_LABELS[severity]
      : `${SEVERITY_LABELS[severity]}: ${count}`;
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
