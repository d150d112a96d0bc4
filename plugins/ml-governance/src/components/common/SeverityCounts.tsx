import {
  SEVERITIES,
  SeverityCounts as Counts,
} from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import { SeverityChip } from './SeverityChip';

/** Open findings by severity, one chip per severity, most severe first. */
export function SeverityCounts(props: { counts: Counts; hideInfo?: boolean }) {
  const { counts, hideInfo } = props;
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 4 }}
      data-testid="ml-governance-severity-counts"
    >
      {SEVERITIES.filter(s => !(hideInfo && s === 'info')).map(severity => (
        <SeverityChip
          key={severity}
          severity={severity}
          count={counts[severity] ?? 0}
        />
      ))}
    </Box>
  );
}
