import type { TeamRiskSummary } from '@ml-governance/plugin-ml-governance-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** The rules with the most open findings in the team. */
export function TopRules(props: { rules: TeamRiskSummary['topRules'] }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  if (props.rules.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('teams.noOpenFindings')}
      </Typography>
    );
  }
  return (
    <List dense disablePadding aria-label={t('teams.topRules')}>
      {props.rules.map(rule => (
        <ListItem key={rule.ruleId} disableGutters>
          <ListItemText
            primary={`${rule.ruleId} — ${rule.count}`}
            secondary={rule.title}
          />
        </ListItem>
      ))}
    </List>
  );
}
