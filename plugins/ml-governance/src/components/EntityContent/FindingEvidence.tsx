import type { Finding } from '@ml-governance/plugin-ml-governance-common';
import Typography from '@material-ui/core/Typography';
import { evidenceEntries, formatLocation } from '../common/format';

/** Where the finding is and the strongest evidence for it, compact enough for a table cell. */
export function FindingEvidence(props: {
  finding: Finding;
  maxEntries?: number;
}) {
  const { finding, maxEntries = 2 } = props;
  const entries = evidenceEntries(finding).slice(0, maxEntries);
  return (
    <div style={{ wordBreak: 'break-word' }}>
      <Typography
        variant="body2"
        component="div"
        style={{ fontFamily: 'monospace', fontSize: '0.8rem' }}
      >
        {formatLocation(finding.location)}
      </Typography>
      {entries.map(entry => (
        <Typography
          key={entry.label}
          variant="caption"
          component="div"
          color="textSecondary"
        >
          {entry.label}: <code>{entry.value}</code>
        </Typography>
      ))}
    </div>
  );
}
