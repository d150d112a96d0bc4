import type { Finding } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { memo } from 'react';
import { formatDateTime } from '../common/format';
import { SeverityChip } from '../common/SeverityChip';
import { FindingEvidence } from './FindingEvidence';
import { FindingStatusLabel } from './FindingStatusLabel';
import { StandardsMapping } from './StandardsMapping';

/** One finding as a table row; memoised so a page change re-renders only the rows that changed. */
export const FindingRow = memo(function FindingRowView(props: {
  finding: Finding;
  pendingReview: boolean;
  canRequestAcceptance: boolean;
  onShowDetails: (finding: Finding) => void;
  onRequestAcceptance: (finding: Finding) => void;
}) {
  const {
    finding,
    pendingReview,
    canRequestAcceptance,
    onShowDetails,
    onRequestAcceptance,
  } = props;
  return (
    <TableRow hover data-testid="ml-governance-finding-row">
      <TableCell>
        <Typography variant="body2" style={{ fontWeight: 600 }}>
          {finding.ruleId}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {finding.title}
        </Typography>
      </TableCell>
      <TableCell>
        <SeverityChip severity={finding.severity} />
      </TableCell>
      <TableCell>
        <StandardsMapping cwe={finding.cwe} owaspLlm={finding.owaspLlm} />
      </TableCell>
      <TableCell>
        <FindingEvidence finding={finding} />
      </TableCell>
      <TableCell>
        <Typography variant="caption" component="div">
          {formatDateTime(finding.firstSeenAt)}
          <br />
          {formatDateTime(finding.lastSeenAt)}
        </Typography>
      </TableCell>
      <TableCell>
        <FindingStatusLabel
          status={finding.status}
          pendingReview={pendingReview}
        />
      </TableCell>
      <TableCell>
        <Box display="flex" flexDirection="column" alignItems="flex-start">
          <Button
            size="small"
            color="primary"
            onClick={() => onShowDetails(finding)}
            style={{ whiteSpace: 'nowrap' }}
          >
            Details
          </Button>
          {canRequestAcceptance &&
            finding.status === 'open' &&
            !pendingReview && (
              <Button
                size="small"
                onClick={() => onRequestAcceptance(finding)}
                style={{ whiteSpace: 'nowrap' }}
                data-testid="ml-governance-request-acceptance"
              >
                Request acceptance
              </Button>
            )}
        </Box>
      </TableCell>
    </TableRow>
  );
});
