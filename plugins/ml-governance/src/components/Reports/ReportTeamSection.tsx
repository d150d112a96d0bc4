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
import { describeAcceptanceScope } from '../common/acceptanceScope';
import { formatDate, shortRef } from '../common/format';
import { useOpenFindingColumns } from '../common/useOpenFindingColumns';

/** One list of the report: a heading with its count, then the table (or "None."). */
function ReportList<T extends object>(props: {
  title: string;
  columns: TableColumn<T>[];
  data: T[];
}) {
  const { title, columns, data } = props;
  return (
    <Box mb={3}>
      <Typography variant="subtitle1" component="h3">
        {title} ({data.length})
      </Typography>
      {data.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          None.
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
  const tabLink = useEntityTabLink();
  const findingColumns = useOpenFindingColumns();
  const entityColumn = {
    title: 'Entity',
    field: 'entityRef',
    render: (row: { entityRef: string }) => (
      <Link to={tabLink(row.entityRef)}>{shortRef(row.entityRef)}</Link>
    ),
  };

  const importColumns: TableColumn<StaleImportItem>[] = [
    entityColumn,
    { title: 'Package', field: 'package', render: item => item.package ?? '—' },
    { title: 'Rule', field: 'ruleId' },
    { title: 'Where', field: 'path', render: item => <code>{item.path}</code> },
    { title: 'Detail', field: 'message' },
    {
      title: 'Since',
      field: 'firstSeenAt',
      render: item => formatDate(item.firstSeenAt),
    },
  ];
  const acceptanceColumns: TableColumn<RiskAcceptance>[] = [
    entityColumn,
    { title: 'Waives', field: 'ruleId', render: describeAcceptanceScope },
    {
      title: 'Expires',
      field: 'expiresAt',
      render: a => formatDate(a.expiresAt),
    },
    {
      title: 'Requested by',
      field: 'requestedBy',
      render: a => shortRef(a.requestedBy),
    },
  ];

  return (
    <InfoCard title={shortRef(section.owner)} subheader={section.owner}>
      <section
        aria-label={`Team ${shortRef(section.owner)}`}
        data-testid="ml-governance-report-team"
      >
        <ReportList
          title="Stale risky dependencies (declared, never imported)"
          columns={importColumns}
          data={section.staleDependencies}
        />
        <ReportList
          title="Undeclared risky imports"
          columns={importColumns}
          data={section.undeclaredImports}
        />
        <ReportList
          title="Acceptances expiring this quarter"
          columns={acceptanceColumns}
          data={section.expiringAcceptances}
        />
        <ReportList<Finding>
          title="Findings open longer than a quarter"
          columns={findingColumns}
          data={section.longOpenFindings}
        />
      </section>
    </InfoCard>
  );
}
