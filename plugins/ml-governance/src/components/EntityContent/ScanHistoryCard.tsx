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
import { formatDateTime } from '../common/format';
import { ScanStatus } from '../common/ScanStatus';
import { ScanTrigger } from './ScanTrigger';
import {
  TranslationFunction,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** The columns, built per render so their titles follow the app's language. */
function scanColumns(
  t: TranslationFunction<typeof mlGovernanceTranslationRef.T>,
): TableColumn<ScanRun>[] {
  return [
    {
      title: t('entityTab.columns.started'),
      field: 'startedAt',
      render: scan => formatDateTime(scan.startedAt),
    },
    {
      title: t('entityTab.columns.finished'),
      field: 'finishedAt',
      render: scan => formatDateTime(scan.finishedAt),
    },
    {
      title: t('entityTab.columns.trigger'),
      field: 'trigger',
      render: scan => <ScanTrigger scan={scan} />,
    },
    {
      title: t('entityTab.columns.status'),
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
      title: t('entityTab.columns.decision'),
      field: 'decision',
      render: scan =>
        scan.decision ? <DecisionStatus decision={scan.decision} /> : '—',
    },
    {
      title: t('entityTab.columns.targets'),
      field: 'targets',
      render: scan =>
        // Each target as the owner wrote it in the annotation (`file:./models/foo.pt`); runs recorded
        // before that was kept show the resolved target, redacted (`file:…/models`), so two may read
        // alike: key by position.
        scan.targets.map((target, index) => (
          <Typography
            key={index}
            variant="caption"
            component="div"
            style={{ wordBreak: 'break-all' }}
            data-testid="ml-governance-scan-target"
          >
            {target.declared ?? target.target}:{' '}
            {t(`labels.targetStatus.${target.status}`)}
            {target.version ? ` @ ${shortVersion(target.version)}` : ''}
            {target.error ? ` (${target.error})` : ''}
          </Typography>
        )),
    },
  ];
}

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
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <InfoCard title={t('entityTab.scanHistory')} action={action} noPadding>
      {error ? (
        <ResponseErrorPanel
          error={error}
          title={t('entityTab.scanHistoryLoadError')}
        />
      ) : (
        <Table<ScanRun>
          columns={scanColumns(t)}
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
              <Typography variant="body2">{t('labels.noScans')}</Typography>
            </Box>
          }
        />
      )}
    </InfoCard>
  );
}
