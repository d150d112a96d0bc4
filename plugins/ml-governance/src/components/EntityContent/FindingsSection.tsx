import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import type {
  Finding,
  RiskAcceptance,
} from '@ml-governance/plugin-ml-governance-common';
import TablePagination from '@material-ui/core/TablePagination';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useDebounce from 'react-use/esm/useDebounce';
import { useFindings } from '../../hooks/useFindings';
import { AcceptanceRequestDialog } from '../AcceptanceRequest/AcceptanceRequestDialog';
import { AcceptanceScope } from '../AcceptanceRequest/acceptanceForm';
import { FindingDetailDrawer } from './FindingDetailDrawer';
import { FindingsFilters } from './FindingsFilters';
import { FindingsTable } from './FindingsTable';
import {
  FindingsViewState,
  PAGE_SIZES,
  parseFindingsView,
  toFindingsQuery,
  toggleSort,
  writeFindingsView,
} from './findingsViewState';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** A page from an old link may lie past the end; MUI warns on that, so show the last real page. */
function pageWithin(page: number, pageSize: number, total?: number): number {
  if (total === undefined || total === 0) return 0;
  return Math.min(page, Math.ceil(total / pageSize) - 1);
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
  // Filters, sorting and paging live in the URL, so a copied link reproduces the view.
  const [searchParams, setSearchParams] = useSearchParams();
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const view = parseFindingsView(searchParams);
  const setView = useCallback(
    (next: FindingsViewState) =>
      setSearchParams(current => writeFindingsView(next, current), {
        replace: true,
      }),
    [setSearchParams],
  );
  // Typing in text fields waits for a pause before it reaches the URL (and the server).
  const [draftFilters, setDraftFilters] = useState(view.filters);
  const urlFilters = JSON.stringify(view.filters);
  useEffect(() => setDraftFilters(JSON.parse(urlFilters)), [urlFilters]);
  useDebounce(
    () => {
      if (JSON.stringify(draftFilters) !== urlFilters) {
        setView({ ...view, filters: draftFilters, page: 0 });
      }
    },
    300,
    [draftFilters],
  );
  const [selected, setSelected] = useState<Finding>();
  const [requestScope, setRequestScope] = useState<AcceptanceScope>();

  const { value, loading, error, retry } = useFindings(
    entityRef,
    toFindingsQuery(view),
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
    <InfoCard title={t('findings.title')} noPadding>
      <div style={{ padding: 16, paddingBottom: 0 }}>
        <FindingsFilters values={draftFilters} onChange={setDraftFilters} />
      </div>
      {error ? (
        <ResponseErrorPanel error={error} title={t('findings.loadError')} />
      ) : (
        <>
          <FindingsTable
            findings={value?.items ?? []}
            isLoading={loading}
            pendingFingerprints={pendingKeys}
            canRequestAcceptance={canRequestAcceptance}
            onShowDetails={showDetails}
            onRequestAcceptance={requestForFinding}
            orderBy={view.orderBy}
            order={view.order}
            onSort={field => setView(toggleSort(view, field))}
          />
          <TablePagination
            component="div"
            count={value?.totalCount ?? 0}
            page={pageWithin(view.page, view.pageSize, value?.totalCount)}
            rowsPerPage={view.pageSize}
            rowsPerPageOptions={[...PAGE_SIZES]}
            labelRowsPerPage={t('labels.pagination.rowsPerPage')}
            labelDisplayedRows={({ from, to, count }) =>
              t('labels.pagination.displayedRows', {
                from: String(from),
                to: String(to),
                total: String(count),
              })
            }
            backIconButtonText={t('labels.pagination.previousPage')}
            nextIconButtonText={t('labels.pagination.nextPage')}
            onPageChange={(_event, next) => setView({ ...view, page: next })}
            onRowsPerPageChange={event =>
              setView({
                ...view,
                pageSize: Number(event.target.value),
                page: 0,
              })
            }
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
