import {
  InfoCard,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import type { ScanRun } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { DecisionStatus } from '../common/DecisionStatus';
import { formatDateTime, shortRef } from '../common/format';
import { ScanStatus } from '../common/ScanStatus';

const columns: TableColumn<ScanRun>[] = [
  {
    title: 'Started',
    field: 'startedAt',
    render: scan => formatDateTime(scan.startedAt),
  },
  {
    title: 'Finished',
    field: 'finishedAt',
    render: scan => formatDateTime(scan.finishedAt),
  },
  {
    title: 'Trigger',
    field: 'trigger',
    render: scan =>
      scan.trigger === 'manual'
        ? `Manual (${shortRef(scan.requestedBy)})`
        : 'Scheduled',
  },
  {
    title: 'Status',
    field: 'status',
    render: scan => (
      <>
        <ScanStatus status={scan.status} />
        {scan.error && (
          <Typography variant="caption" display="block" color="error">
            {scan.error}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Decision',
    field: 'decision',
    render: scan =>
      scan.decision ? <DecisionStatus decision={scan.decision} /> : '—',
  },
  {
    title: 'Targets',
    field: 'targets',
    render: scan =>
      // Targets are shown redacted (`file:…/models`), so two may read alike: key by position.
      scan.targets.map((target, index) => (
        <Typography
          key={index}
          variant="caption"
          component="div"
          style={{ wordBreak: 'break-all' }}
        >
          {target.target}: {target.status}
          {target.version ? ` @ ${shortVersion(target.version)}` : ''}
          {target.error ? ` (${target.error})` : ''}
        </Typography>
      )),
  },
];

/** Commit SHAs and hashes are long; the head identifies them, the full value is in the API. */
function shortVersion(version: string): string {
  return version.length > 16 ? `${version.slice(0, 12)}…` : version;
}

/** Recent scans of the entity, with the Rescan action in the header. */
export function ScanHistoryCard(props: {
  scans: ScanRun[] | undefined;
  loading: boolean;
  error?: Error;
  action?: ReactNode;
}) {
  const { scans, loading, error, action } = props;
  return (
    <InfoCard title="Scan history" action={action} noPadding>
      {error ? (
        <ResponseErrorPanel
          error={error}
          title="Could not load the scan history"
        />
      ) : (
        <Table<ScanRun>
          columns={columns}
          data={scans ?? []}
          isLoading={loading}
          options={{
            paging: false,
            search: false,
            sorting: false,
            padding: 'dense',
            toolbar: false,
            draggable: false,
          }}
          emptyContent={
            <Box p={2}>
              <Typography variant="body2">No scans yet.</Typography>
            </Box>
          }
        />
      )}
    </InfoCard>
  );
}
