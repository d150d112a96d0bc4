import type { Finding } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { FindingRow } from './FindingRow';

export interface FindingsTableProps {
  findings: Finding[];
  /** Fingerprints with an acceptance request waiting for review. */
  pendingFingerprints: ReadonlySet<string>;
  /** Show the per-row "Request acceptance" button (the caller may request). */
  canRequestAcceptance: boolean;
  onShowDetails: (finding: Finding) => void;
  onRequestAcceptance: (finding: Finding) => void;
  isLoading?: boolean;
}

const COLUMNS: Array<{ title: string; width: string }> = [
  { title: 'Rule', width: '18%' },
  { title: 'Severity', width: '8%' },
  { title: 'CWE / OWASP LLM', width: '11%' },
  { title: 'Evidence', width: '31%' },
  { title: 'First / last seen', width: '12%' },
  { title: 'Status', width: '8%' },
  { title: 'Actions', width: '12%' },
];

/**
 * One page of findings. Paging, filters and search are the server's job (see FindingsSection), so
 * this is a plain MUI table rather than material-table: at 1,000 rows it renders several times
 * faster. Every row has real buttons for the detail panel and for requesting acceptance.
 */
export function FindingsTable(props: FindingsTableProps) {
  const {
    findings,
    pendingFingerprints,
    canRequestAcceptance,
    onShowDetails,
    onRequestAcceptance,
    isLoading,
  } = props;
  return (
    <TableContainer>
      {isLoading && <LinearProgress aria-label="Loading findings" />}
      <Table size="small" aria-label="Findings" aria-busy={isLoading}>
        <TableHead>
          <TableRow>
            {COLUMNS.map(column => (
              <TableCell key={column.title} style={{ width: column.width }}>
                {column.title}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {findings.map(finding => (
            <FindingRow
              key={finding.id}
              finding={finding}
              pendingReview={pendingFingerprints.has(finding.fingerprint)}
              canRequestAcceptance={canRequestAcceptance}
              onShowDetails={onShowDetails}
              onRequestAcceptance={onRequestAcceptance}
            />
          ))}
        </TableBody>
      </Table>
      {!isLoading && findings.length === 0 && (
        <Box p={3}>
          <Typography variant="body2">
            No findings match these filters.
          </Typography>
        </Box>
      )}
    </TableContainer>
  );
}
