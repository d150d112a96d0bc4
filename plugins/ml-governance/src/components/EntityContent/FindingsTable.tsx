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
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

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

type FindingsColumnKey =
  | 'rule'
  | 'severity'
  | 'standards'
  | 'evidence'
  | 'first'
  | 'lastSeen'
  | 'status'
  | 'actions';

const COLUMNS: Array<{
  title: FindingsColumnKey;
  width: string;
  sort?: FindingsSortField;
  /** A second sort field shown in the same header (first / last seen). */
  secondSort?: { title: FindingsColumnKey; field: FindingsSortField };
}> = [
  { title: 'rule', width: '18%', sort: 'ruleId' },
  { title: 'severity', width: '8%', sort: 'severity' },
  { title: 'standards', width: '10%' },
  { title: 'evidence', width: '29%', sort: 'path' },
  {
    title: 'first',
    width: '13%',
    sort: 'firstSeenAt',
    secondSort: { title: 'lastSeen', field: 'lastSeenAt' },
  },
  { title: 'status', width: '8%' },
  // Wide enough that "Request acceptance" stays on one line.
  { title: 'actions', width: '14%' },
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
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const columnTitle = (key: FindingsColumnKey) => t(`findings.columns.${key}`);
  const sortLabel = (title: FindingsColumnKey, field: FindingsSortField) =>
    onSort ? (
      <TableSortLabel
        active={orderBy === field}
        direction={orderBy === field ? order : 'asc'}
        onClick={() => onSort(field)}
      >
        {columnTitle(title)}
      </TableSortLabel>
    ) : (
      columnTitle(title)
    );
  return (
    <TableContainer>
      {isLoading && <LinearProgress aria-label={t('findings.loading')} />}
      <Table
        size="small"
        aria-label={t('findings.tableLabel')}
        aria-busy={isLoading}
      >
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
                {column.sort
                  ? sortLabel(column.title, column.sort)
                  : columnTitle(column.title)}
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
              t={t}
            />
          ))}
        </TableBody>
      </Table>
      {!isLoading && findings.length === 0 && (
        <Box p={3}>
          <Typography variant="body2">{t('findings.noMatch')}</Typography>
        </Box>
      )}
    </TableContainer>
  );
}
