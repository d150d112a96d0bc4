import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import type {
  Finding,
  FindingsQuery,
  RiskAcceptance,
} from '@ml-governance/plugin-ml-governance-common';
import TablePagination from '@material-ui/core/TablePagination';
import { useCallback, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { useFindings } from '../../hooks/useFindings';
import { AcceptanceRequestDialog } from '../AcceptanceRequest/AcceptanceRequestDialog';
import { AcceptanceScope } from '../AcceptanceRequest/acceptanceForm';
import { FindingDetailDrawer } from './FindingDetailDrawer';
import { FindingsFilters, FindingsFilterValues } from './FindingsFilters';
import { FindingsTable } from './FindingsTable';

const PAGE_SIZES = [25, 50, 100];
const DEFAULT_FILTERS: FindingsFilterValues = {
  status: 'open',
  severities: [],
  ruleId: '',
  search: '',
};

function toQuery(
  filters: FindingsFilterValues,
  page: number,
  pageSize: number,
): FindingsQuery {
  return {
    status: filters.status === 'all' ? undefined : [filters.status],
    severity: filters.severities.length > 0 ? filters.severities : undefined,
    ruleId: filters.ruleId.trim() || undefined,
    q: filters.search.trim() || undefined,
    offset: page * pageSize,
    limit: pageSize,
    orderBy: 'severity',
    order: 'desc',
  };
}

/**
 * The findings of an entity, filtered and paged on the server, with the detail drawer and the
 * acceptance request dialog.
 */
export function FindingsSection(props: {
  entityRef: string;
  /** Acceptances waiting for review, to mark findings already submitted. */
  pendingAcceptances: RiskAcceptance[];
  canRequestAcceptance: boolean;
  onAcceptanceRequested: () => void;
}) {
  const {
    entityRef,
    pendingAcceptances,
    canRequestAcceptance,
    onAcceptanceRequested,
  } = props;
  const [filters, setFilters] = useState(DEFAULT_FILTERS);
  // Typing in text fields waits for a pause before asking the server.
  const [settledFilters, setSettledFilters] = useState(DEFAULT_FILTERS);
  useDebounce(() => setSettledFilters(filters), 300, [filters]);
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);
  const [selected, setSelected] = useState<Finding>();
  const [requestScope, setRequestScope] = useState<AcceptanceScope>();

  const { value, loading, error, retry } = useFindings(
    entityRef,
    toQuery(settledFilters, page, pageSize),
  );

  const pendingFingerprints = new Set(
    pendingAcceptances.flatMap(acceptance =>
      acceptance.fingerprint ? [acceptance.fingerprint] : [],
    ),
  );
  const pendingRules = new Set(
    pendingAcceptances.flatMap(acceptance =>
      acceptance.ruleId ? [acceptance.ruleId] : [],
    ),
  );
  const isPending = (finding: Finding) =>
    pendingFingerprints.has(finding.fingerprint) ||
    pendingRules.has(finding.ruleId);
  const pendingKeys = new Set(
    (value?.items ?? []).filter(isPending).map(finding => finding.fingerprint),
  );

  const showDetails = useCallback(
    (finding: Finding) => setSelected(finding),
    [],
  );
  const requestForFinding = useCallback(
    (finding: Finding) => setRequestScope({ kind: 'finding', finding }),
    [],
  );

  return (
    <InfoCard title="Findings" noPadding>
      <div style={{ padding: 16, paddingBottom: 0 }}>
        <FindingsFilters
          values={filters}
          onChange={next => {
            setFilters(next);
            setPage(0);
          }}
        />
      </div>
      {error ? (
        <ResponseErrorPanel error={error} title="Could not load findings" />
      ) : (
        <>
          <FindingsTable
            findings={value?.items ?? []}
            isLoading={loading}
            pendingFingerprints={pendingKeys}
            canRequestAcceptance={canRequestAcceptance}
            onShowDetails={showDetails}
            onRequestAcceptance={requestForFinding}
          />
          <TablePagination
            component="div"
            count={value?.totalCount ?? 0}
            page={page}
            rowsPerPage={pageSize}
            rowsPerPageOptions={PAGE_SIZES}
            onPageChange={(_event, next) => setPage(next)}
            onRowsPerPageChange={event => {
              setPageSize(Number(event.target.value));
              setPage(0);
            }}
          />
        </>
      )}
      {selected && (
        <FindingDetailDrawer
          finding={selected}
          pendingReview={isPending(selected)}
          canRequestAcceptance={canRequestAcceptance}
          onClose={() => setSelected(undefined)}
          onRequestForFinding={finding => {
            setSelected(undefined);
            requestForFinding(finding);
          }}
          onRequestForRule={finding => {
            setSelected(undefined);
            setRequestScope({
              kind: 'rule',
              ruleId: finding.ruleId,
              title: finding.title,
            });
          }}
        />
      )}
      {requestScope && (
        <AcceptanceRequestDialog
          entityRef={entityRef}
          scope={requestScope}
          onClose={() => setRequestScope(undefined)}
          onRequested={() => {
            retry();
            onAcceptanceRequested();
          }}
        />
      )}
    </InfoCard>
  );
}
