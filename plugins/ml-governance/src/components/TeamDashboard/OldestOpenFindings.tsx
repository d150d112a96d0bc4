import { Table } from '@backstage/core-components';
import type { Finding } from '@ml-governance/plugin-ml-governance-common';
import { useOpenFindingColumns } from '../common/useOpenFindingColumns';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** The findings open the longest in the team, with links to the entity tab. */
export function OldestOpenFindings(props: { findings: Finding[] }) {
  const columns = useOpenFindingColumns();
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <Table<Finding>
      title={t('teams.oldestOpenFindings')}
      columns={columns}
      data={props.findings}
      options={{
        paging: false,
        search: false,
        sorting: false,
        padding: 'dense',
        draggable: false,
      }}
      emptyContent={
        <div style={{ padding: 16 }}>{t('teams.noOpenFindings')}</div>
      }
    />
  );
}
