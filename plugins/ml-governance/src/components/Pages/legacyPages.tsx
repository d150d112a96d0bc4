import { ApprovalsPage } from '../Approvals/ApprovalsPage';
import { StaleImportReportPage } from '../Reports/StaleImportReportPage';
import { LegacyPage } from '../common/LegacyPage';
import { TeamsPage } from '../TeamDashboard/TeamsPage';

/** The pages with their own header, for apps on the legacy frontend system. */
export function LegacyApprovalsPage() {
  return (
    <LegacyPage title="ML Governance" subtitle="Risk acceptance approvals">
      <ApprovalsPage />
    </LegacyPage>
  );
}

export function LegacyTeamsPage() {
  return (
    <LegacyPage title="ML Governance" subtitle="Team risk dashboards">
      <TeamsPage />
    </LegacyPage>
  );
}

export function LegacyReportsPage() {
  return (
    <LegacyPage title="ML Governance" subtitle="Stale-import reports">
      <StaleImportReportPage />
    </LegacyPage>
  );
}
