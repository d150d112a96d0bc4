import type { Finding } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import { FindingRow } from './FindingRow';
import { useFindingRowStyles } from './findingRowStyles';
import type { FindingsSortField, SortOrder } from './findingsViewState';

export interface FindingsTableProps {
  findings: Finding[];
  /** Fingerprints with an acceptance request waiting for review. */
  pendingFingerprints: ReadonlySet<string>;
  /** Show the per-row "Request acceptance" button (the caller may request). */
  canRequestAcceptance: boolean;
  onShowDetails: (finding: Finding) => void;
  onRequestAcceptance: (finding: Finding) => void;
  isLoading?: boolean;
  /** The server-side sort; a header with a sort field is a button that changes it. */
  orderBy?: FindingsSortField;
  order?: SortOrder;
  onSort?: (field: FindingsSortField) => void;
}

const COLUMNS: Array<{
  title: string;
  width: string;
  sort?: FindingsSortField;
  /** A second sort field shown in the same header (first / last seen). */
  secondSort?: { title: string; field: FindingsSortField };
}> = [
  { title: 'Rule', width: '18%', sort: 'ruleId' },
  { title: 'Severity', width: '8%', sort: 'severity' },
  { title: 'CWE / OWASP LLM', width: '10%' },
  { title: 'Evidence', width: '29%', sort: 'path' },
  {
    title: 'First',
    width: '13%',
    sort: 'firstSeenAt',
    secondSort: { title: 'last seen', field: 'lastSeenAt' },
  },
  { title: 'Status', width: '8%' },
  // Wide enough that "Request acceptance" stays on one line.
  { title: 'Actions', width: '14%' },
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
    orderBy,
    order,
    onSort,
  } = props;
  const rowClasses = useFindingRowStyles();
  const sortLabel = (title: string, field: FindingsSortField) =>
    onSort ? (
      <TableSortLabel
        active={orderBy === field}
        direction={orderBy === field ? order : 'asc'}
        onClick={() => onSort(field)}
      >
        {title}
      </TableSortLabel>
    ) : (
      title
    );
  return (
    <TableContainer>
      {isLoading && <LinearProgress aria-label="Loading findings" />}
      <Table size="small" aria-label="Findings" aria-busy={isLoading}>
        <TableHead>
          <TableRow>
            {COLUMNS.map(column => (
              <TableCell
                key={column.title}
                style={{ width: column.width }}
                sortDirection={
                  column.sort && orderBy === column.sort ? order : false
                }
              >
                {column.sort ? sortLabel(column.title, column.sort) : column.title}
                {column.secondSort && (
                  <>
                    {' / '}
                    {sortLabel(
                      column.secondSort.title,
                      column.secondSort.field,
                    )}
                  </>
                )}
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
              classes={rowClasses}
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
