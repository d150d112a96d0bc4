import { Table } from '@backstage/core-components';
import type { Finding } from '@ml-governance/plugin-ml-governance-common';
import { useOpenFindingColumns } from '../common/useOpenFindingColumns';

/** The findings open the longest in the team, with links to the entity tab. */
export function OldestOpenFindings(props: { findings: Finding[] }) {
  const columns = useOpenFindingColumns();
  return (
    <Table<Finding>
      title="Oldest open findings"
      columns={columns}
      data={props.findings}
      options={{
        paging: false,
        search: false,
        sorting: false,
        padding: 'dense',
        draggable: false,
      }}
      emptyContent={<div style={{ padding: 16 }}>No open findings.</div>}
    />
  );
}
