import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { RejectedArtifact } from '@ml-governance/plugin-ml-governance-common';
import Alert from '@material-ui/lab/Alert';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../../api';
import { mlGovernanceTranslationRef } from '../../translation';
import { formatDateTime } from '../common/format';
import { RejectedArtifactDownloads } from './RejectedArtifactDownloads';

const PAGE_SIZE = 25;
const SEARCH_DELAY_MS = 300;
/** Bidi controls and other invisible format characters: shown as a visible mark, never obeyed. */
const FORMAT_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  /[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Attacker-controlled text (reasons, targets) as it can be shown safely. */
export function displayText(text: string): string {
  return text.replace(FORMAT_CHARACTERS, '\ufffd');
}

/** The whole digest stays in the text (copy, find in page); CSS shortens what is drawn. */
const DIGEST_STYLE = {
  display: 'inline-block',
  maxWidth: 220,
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap' as const,
  verticalAlign: 'bottom',
};

/** The rejected-artifact log: searchable, paged, exportable as CSV or JSON. */
export function RejectedArtifactLog() {
  const api = useApi(mlGovernanceApiRef);
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(typed.trim());
      setPage(0);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const log = useAsyncRetry(
    () =>
      api.listRejectedArtifacts({
        q: q || undefined,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      }),
    [api, q, page],
  );

  let body;
  if (log.loading && !log.value) body = <Progress />;
  else if (log.error)
    body =
      (log.error as { statusCode?: number }).statusCode === 403 ? (
        <Alert severity="warning">{t('rejectedArtifacts.forbidden')}</Alert>
      ) : (
        <ResponseErrorPanel
          error={log.error}
          title={t('rejectedArtifacts.loadError')}
        />
      );
  else if (!log.value || log.value.totalCount === 0)
    body = (
      <EmptyState
        missing="data"
        title={t('rejectedArtifacts.empty')}
        description={t('rejectedArtifacts.emptyDescription')}
      />
    );
  else
    body = (
      <>
        <Table size="small" data-testid="ml-governance-rejected-artifacts">
          <TableHead>
            <TableRow>
              <TableCell>{t('rejectedArtifacts.digest')}</TableCell>
              <TableCell>{t('rejectedArtifacts.source')}</TableCell>
              <TableCell>{t('rejectedArtifacts.entity')}</TableCell>
              <TableCell>{t('rejectedArtifacts.rules')}</TableCell>
              <TableCell>{t('rejectedArtifacts.rejectedBy')}</TableCell>
              <TableCell>{t('rejectedArtifacts.rejectedAt')}</TableCell>
              <TableCell>{t('rejectedArtifacts.reason')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {log.value.items.map(row => (
              <RejectedRow key={`${row.digest} ${row.versionId}`} row={row} />
            ))}
          </TableBody>
        </Table>
        <TablePagination
          component="div"
          count={log.value.totalCount}
          page={page}
          rowsPerPage={PAGE_SIZE}
          rowsPerPageOptions={[PAGE_SIZE]}
          labelDisplayedRows={({ from, to, count }) =>
            t('labels.pagination.displayedRows', {
              from: String(from),
              to: String(to),
              total: String(count),
            })
          }
          backIconButtonText={t('labels.pagination.previousPage')}
          nextIconButtonText={t('labels.pagination.nextPage')}
          onPageChange={(_event, next) => setPage(next)}
        />
      </>
    );

  return (
    <div data-testid="ml-governance-rejected-artifact-log">
      <Typography variant="body2" color="textSecondary" paragraph>
        {t('rejectedArtifacts.intro')}
      </Typography>
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 16 }}>
        <TextField
          id="ml-governance-rejected-search"
          label={t('rejectedArtifacts.search')}
          value={typed}
          onChange={event => setTyped(event.target.value.slice(0, 200))}
          size="small"
          variant="outlined"
          style={{ minWidth: 380 }}
        />
        <RejectedArtifactDownloads q={q || undefined} />
      </Box>
      {body}
    </div>
  );
}

function RejectedRow(props: { row: RejectedArtifact }) {
  const { row } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const wrap = { overflowWrap: 'anywhere' as const, maxWidth: 360 };
  return (
    <TableRow data-testid="ml-governance-rejected-artifact">
      <TableCell title={row.digest}>
        <code style={DIGEST_STYLE}>{row.digest}</code>
      </TableCell>
      <TableCell>{row.source}</TableCell>
      <TableCell style={wrap}>
        <EntityRefLink entityRef={row.entityRef} />
        <Typography variant="caption" display="block" color="textSecondary">
          {displayText(row.target)}
        </Typography>
      </TableCell>
      <TableCell style={wrap}>
        {row.ruleIds.length > 0
          ? row.ruleIds.join(', ')
          : t('rejectedArtifacts.noRules')}
      </TableCell>
      <TableCell>{displayText(row.rejectedBy)}</TableCell>
      <TableCell>{formatDateTime(row.rejectedAt)}</TableCell>
      <TableCell style={{ ...wrap, whiteSpace: 'pre-wrap' }}>
        {displayText(row.reason)}
      </TableCell>
    </TableRow>
  );
}
