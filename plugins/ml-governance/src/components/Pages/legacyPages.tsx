import { ApprovalsPage } from '../Approvals/ApprovalsPage';
import { StaleImportReportPage } from '../Reports/StaleImportReportPage';
import { LegacyPage } from '../common/LegacyPage';
import { TeamsPage } from '../TeamDashboard/TeamsPage';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** The pages with their own header, for apps on the legacy frontend system. */
export function LegacyApprovalsPage() {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <LegacyPage
      title={t('common.pageTitle')}
      subtitle={t('common.approvalsSubtitle')}
    >
      <ApprovalsPage />
    </LegacyPage>
  );
}

export function LegacyTeamsPage() {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <LegacyPage
      title={t('common.pageTitle')}
      subtitle={t('common.teamsSubtitle')}
    >
      <TeamsPage />
    </LegacyPage>
  );
}

export function LegacyReportsPage() {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <LegacyPage
      title={t('common.pageTitle')}
      subtitle={t('labels.extensions.reports')}
    >
      <StaleImportReportPage />
    </LegacyPage>
  );
}
