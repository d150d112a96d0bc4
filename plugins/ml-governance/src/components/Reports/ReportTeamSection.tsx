import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import type {
  Finding,
  RiskAcceptance,
  StaleImportItem,
  StaleImportTeamSection,
} from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useEntityTabLink } from '../../hooks/useEntityTabLink';
import { describeAcceptanceScope } from '../common/labels';
import { formatDate, shortRef } from '../common/format';
import { useOpenFindingColumns } from '../common/useOpenFindingColumns';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** One list of the report: a heading with its count, then the table (or "None."). */
function ReportList<T extends object>(props: {
  title: string;
  columns: TableColumn<T>[];
  data: T[];
}) {
  const { title, columns, data } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <Box mb={3}>
      <Typography variant="subtitle1" component="h3">
        {t('labels.listTitleWithCount', {
          title,
          total: String(data.length),
        })}
      </Typography>
      {data.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {t('reports.none')}
        </Typography>
      ) : (
        <Table<T>
          columns={columns}
          data={data}
          options={{
            paging: false,
            search: false,
            sorting: false,
            padding: 'dense',
            draggable: false,
            toolbar: false,
          }}
        />
      )}
    </Box>
  );
}

/** One team's part of the quarterly report. */
export function ReportTeamSection(props: { section: StaleImportTeamSection }) {
  const { section } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const tabLink = useEntityTabLink();
  const findingColumns = useOpenFindingColumns();
  const entityColumn = {
    title: t('reports.columns.entity'),
    field: 'entityRef',
    render: (row: { entityRef: string }) => (
      <Link to={tabLink(row.entityRef)}>{shortRef(row.entityRef)}</Link>
    ),
  };

  const importColumns: TableColumn<StaleImportItem>[] = [
    entityColumn,
    {
      title: t('reports.columns.package'),
      field: 'package',
      render: item => item.package ?? '—',
    },
    { title: t('reports.columns.rule'), field: 'ruleId' },
    {
      title: t('reports.columns.where'),
      field: 'path',
      render: item => <code>{item.path}</code>,
    },
    { title: t('reports.columns.detail'), field: 'message' },
    {
      title: t('reports.columns.since'),
      field: 'firstSeenAt',
      render: item => formatDate(item.firstSeenAt),
    },
  ];
  const acceptanceColumns: TableColumn<RiskAcceptance>[] = [
    entityColumn,
    {
      title: t('reports.columns.waives'),
      field: 'ruleId',
      render: a => describeAcceptanceScope(t, a),
    },
    {
      title: t('reports.columns.expires'),
      field: 'expiresAt',
      render: a => formatDate(a.expiresAt),
    },
    {
      title: t('reports.columns.requestedBy'),
      field: 'requestedBy',
      render: a => shortRef(a.requestedBy),
    },
  ];

  return (
    <InfoCard title={shortRef(section.owner)} subheader={section.owner}>
      <section
        aria-label={t('reports.teamSection', { team: shortRef(section.owner) })}
        data-testid="ml-governance-report-team"
      >
        <ReportList
          title={t('reports.staleDependencies')}
          columns={importColumns}
          data={section.staleDependencies}
        />
        <ReportList
          title={t('reports.undeclaredImports')}
          columns={importColumns}
          data={section.undeclaredImports}
        />
        <ReportList
          title={t('reports.expiring')}
          columns={acceptanceColumns}
          data={section.expiringAcceptances}
        />
        <ReportList<Finding>
          title={t('reports.staleFindings')}
          columns={findingColumns}
          data={section.longOpenFindings}
        />
      </section>
    </InfoCard>
  );
}
