import type { AcceptanceChecklist } from '@ml-governance/plugin-ml-governance-common';
import Typography from '@material-ui/core/Typography';

function answer(value: boolean) {
  return value ? 'Yes' : 'No';
}

/** The requester's checklist answers, as an approver reads them. */
export function ChecklistSummary(props: { checklist: AcceptanceChecklist }) {
  const { checklist } = props;
  return (
    <dl style={{ margin: 0 }} aria-label="Checklist">
      <Typography component="dt" variant="caption" color="textSecondary">
        In active use?
      </Typography>
      <Typography component="dd" variant="body2" style={{ margin: 0 }}>
        {answer(checklist.inActiveUse)}
      </Typography>
      <Typography component="dt" variant="caption" color="textSecondary">
        Safer alternative available?
      </Typography>
      <Typography component="dd" variant="body2" style={{ margin: 0 }}>
        {answer(checklist.saferAlternativeAvailable)}
        {checklist.saferAlternativePlan
          ? ` — ${checklist.saferAlternativePlan}`
          : ''}
      </Typography>
      <Typography component="dt" variant="caption" color="textSecondary">
        Source trusted and hash pinned?
      </Typography>
      <Typography component="dd" variant="body2" style={{ margin: 0 }}>
        {answer(checklist.sourceTrustedAndHashPinned)}
      </Typography>
    </dl>
  );
}
