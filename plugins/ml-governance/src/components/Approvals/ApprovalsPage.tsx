import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useState } from 'react';
import { PromotionInbox } from '../Promotion/PromotionInbox';
import { RejectedArtifactLog } from '../RejectedArtifacts/RejectedArtifactLog';
import { AcceptanceQueue } from './AcceptanceQueue';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

const VIEWS = [
  { view: 'to-decide', label: 'toDecide' },
  { view: 'mine', label: 'mine' },
] as const;

/**
 * The approvals queue: requests to decide, the caller's own requests, the inbox of promotions with
 * acceptances, and the rejected-artifact log.
 */
export function ApprovalsPage() {
  const [index, setIndex] = useState(0);
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <div data-testid="ml-governance-approvals-page">
      <Tabs
        value={index}
        onChange={(_event, next: number) => setIndex(next)}
        indicatorColor="primary"
        aria-label={t('approvals.tabsLabel')}
      >
        {VIEWS.map((item, i) => (
          <Tab
            key={item.view}
            label={t(`approvals.${item.label}`)}
            id={`ml-governance-approvals-tab-${i}`}
            aria-controls={`ml-governance-approvals-panel-${i}`}
          />
        ))}
        <Tab
          label={t('promotion.inboxTab')}
          id={`ml-governance-approvals-tab-${VIEWS.length}`}
          aria-controls={`ml-governance-approvals-panel-${VIEWS.length}`}
        />
        <Tab
          label={t('rejectedArtifacts.tab')}
          id={`ml-governance-approvals-tab-${VIEWS.length + 1}`}
          aria-controls={`ml-governance-approvals-panel-${VIEWS.length + 1}`}
        />
      </Tabs>
      <Box
        role="tabpanel"
        id={`ml-governance-approvals-panel-${index}`}
        aria-labelledby={`ml-governance-approvals-tab-${index}`}
        pt={2}
      >
        {index < VIEWS.length && (
          <AcceptanceQueue key={VIEWS[index].view} view={VIEWS[index].view} />
        )}
        {index === VIEWS.length && <PromotionInbox />}
        {index === VIEWS.length + 1 && <RejectedArtifactLog />}
      </Box>
    </div>
  );
}
