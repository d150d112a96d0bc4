import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ModelApiProbeRunPoint } from '@ml-governance/plugin-ml-governance-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { mlGovernanceTranslationRef } from '../../translation';
import { formatDateTime } from '../common/format';
import { measureValue } from './probeChartGeometry';
import { alertKindLabel, formatMeasure } from './probeFormat';

const COLUMNS = [
  'started',
  'probes',
  'errors',
  'latency',
  'similarity',
  'refusalRate',
  'observedModel',
  'alerts',
] as const;

/** Every run's values, newest first: what the charts show, readable without them. */
export function ProbeRunsTable(props: { runs: ModelApiProbeRunPoint[] }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const newestFirst = [...props.runs].reverse();
  return (
    <TableContainer>
      <Table size="small" aria-label={t('modelApiProbes.tableLabel')}>
        <TableHead>
          <TableRow>
            {COLUMNS.map(column => (
              <TableCell key={column}>
                {t(`modelApiProbes.columns.${column}`)}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {newestFirst.map(run => (
            <TableRow
              key={run.id}
              data-testid="ml-governance-probe-run"
              data-alert={String(run.alerts.length > 0)}
            >
              <TableCell>{formatDateTime(run.startedAt)}</TableCell>
              <TableCell>{run.probes}</TableCell>
              <TableCell>{run.errors}</TableCell>
              <TableCell>
                {formatMeasure(t, 'latencyMs', measureValue(run, 'latencyMs'))}
              </TableCell>
              <TableCell>
                {formatMeasure(
                  t,
                  'similarity',
                  measureValue(run, 'similarity'),
                )}
              </TableCell>
              <TableCell>
                {formatMeasure(
                  t,
                  'refusalRate',
                  measureValue(run, 'refusalRate'),
                )}
              </TableCell>
              <TableCell style={{ wordBreak: 'break-all' }}>
                {run.observedModel ?? '—'}
              </TableCell>
              <TableCell>
                {run.alerts.length === 0
                  ? t('modelApiProbes.none')
                  : run.alerts.map((alert, index) => (
                      <div key={index}>
                        {t('modelApiProbes.alertLine', {
                          kind: alertKindLabel(t, alert.kind),
                          message: alert.message,
                        })}
                      </div>
                    ))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
