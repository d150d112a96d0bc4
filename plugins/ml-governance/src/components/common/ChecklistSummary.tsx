import type { AcceptanceChecklist } from '@ml-governance/plugin-ml-governance-common';
import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** The requester's checklist answers, as an approver reads them. */
export function ChecklistSummary(props: { checklist: AcceptanceChecklist }) {
  const { checklist } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const answer = (value: boolean) => (value ? t('common.yes') : t('common.no'));
  return (
    <dl style={{ margin: 0 }} aria-label={t('common.checklist')}>
      <Typography component="dt" variant="caption" color="textSecondary">
        {t('labels.checklist.inActiveUse')}
      </Typography>
      <Typography component="dd" variant="body2" style={{ margin: 0 }}>
        {answer(checklist.inActiveUse)}
      </Typography>
      <Typography component="dt" variant="caption" color="textSecondary">
        {t('labels.checklist.saferAlternative')}
      </Typography>
      <Typography component="dd" variant="body2" style={{ margin: 0 }}>
        {answer(checklist.saferAlternativeAvailable)}
        {checklist.saferAlternativePlan
          ? ` — ${checklist.saferAlternativePlan}`
          : ''}
      </Typography>
      <Typography component="dt" variant="caption" color="textSecondary">
        {t('labels.checklist.sourceTrusted')}
      </Typography>
      <Typography component="dd" variant="body2" style={{ margin: 0 }}>
        {answer(checklist.sourceTrustedAndHashPinned)}
      </Typography>
    </dl>
  );
}
