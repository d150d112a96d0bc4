import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ModelApiProbeRunPoint } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { mlGovernanceTranslationRef } from '../../translation';
import { formatDateTime } from '../common/format';
import { alertKindLabel } from './probeFormat';

/** Runs listed here at most; the run values table has every one. */
export const ALERT_RUNS_SHOWN = 5;

/** The newest runs that raised alerts, each alert with its kind in words and the prober's message. */
export function ProbeAlerts(props: { runs: ModelApiProbeRunPoint[] }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const alerted = props.runs.filter(run => run.alerts.length > 0).reverse();
  const shown = alerted.slice(0, ALERT_RUNS_SHOWN);
  return (
    <Box mb={2} data-testid="ml-governance-probe-alerts">
      <Typography variant="subtitle2" component="h3">
        {t('modelApiProbes.alertsTitle')}
      </Typography>
      {alerted.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {t('modelApiProbes.noAlerts')}
        </Typography>
      ) : (
        <List dense disablePadding>
          {shown.map(run => (
            <ListItem
              key={run.id}
              disableGutters
              data-testid="ml-governance-probe-alert"
            >
              <ListItemText
                primary={run.alerts.map((alert, index) => (
                  <span key={index} style={{ display: 'block' }}>
                    {t('modelApiProbes.alertLine', {
                      kind: alertKindLabel(t, alert.kind),
                      message: alert.message,
                    })}
                  </span>
                ))}
                secondary={formatDateTime(run.startedAt)}
              />
            </ListItem>
          ))}
        </List>
      )}
      {alerted.length > shown.length && (
        <Typography variant="caption" color="textSecondary">
          {t('modelApiProbes.olderAlerts', {
            total: String(alerted.length - shown.length),
          })}
        </Typography>
      )}
    </Box>
  );
}
