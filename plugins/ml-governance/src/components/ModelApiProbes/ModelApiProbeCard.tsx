import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import type {
  ModelApiProbeRunPoint,
  ModelApiProbeSeries,
} from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { useModelApiProbes } from '../../hooks/useModelApiProbes';
import { mlGovernanceTranslationRef } from '../../translation';
import { ModelApiFacts } from './ModelApiFacts';
import { ProbeAlerts } from './ProbeAlerts';
import { ProbeChart } from './ProbeChart';
import { ProbeChartLegend } from './ProbeChartLegend';
import { ProbeRunsTable } from './ProbeRunsTable';
import {
  MEASURE_BOUNDS,
  ProbeMeasure,
  baselineBand,
} from './probeChartGeometry';

const MEASURES: ProbeMeasure[] = ['latencyMs', 'similarity', 'refusalRate'];

/** Runs as the charts need them: an answer without an alert list is a run without alerts. */
function runsOf(series: ModelApiProbeSeries): ModelApiProbeRunPoint[] {
  return (series.runs ?? []).map(run => ({
    ...run,
    alerts: Array.isArray(run.alerts) ? run.alerts : [],
  }));
}

function ProbeSeriesView(props: { series: ModelApiProbeSeries }) {
  const { series } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const [showValues, setShowValues] = useState(false);
  const runs = runsOf(series);
  const { baseline } = series;
  if (runs.length === 0) {
    return (
      <>
        <ModelApiFacts series={series} />
        <Typography variant="body2" color="textSecondary">
          {t('modelApiProbes.noRuns')}
        </Typography>
      </>
    );
  }
  return (
    <>
      <ModelApiFacts series={series} />
      {baseline ? (
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {t('modelApiProbes.band', {
            sigma: String(series.thresholdSigma),
            runs: String(baseline.runs),
          })}
        </Typography>
      ) : (
        <Box mb={2}>
          <Alert severity="info" data-testid="ml-governance-probe-no-baseline">
            {t('modelApiProbes.noBaseline')}
          </Alert>
        </Box>
      )}
      <ProbeChartLegend withBand={Boolean(baseline)} />
      {MEASURES.map(measure => (
        <ProbeChart
          key={measure}
          measure={measure}
          runs={runs}
          bounds={MEASURE_BOUNDS[measure]}
          band={baselineBand(
            baseline?.[measure],
            series.thresholdSigma,
            MEASURE_BOUNDS[measure],
          )}
        />
      ))}
      <ProbeAlerts runs={runs} />
      <Button
        size="small"
        variant="outlined"
        aria-expanded={showValues}
        onClick={() => setShowValues(shown => !shown)}
      >
        {showValues
          ? t('modelApiProbes.hideValues')
          : t('modelApiProbes.showValues')}
      </Button>
      {showValues && (
        <Box mt={2}>
          <ProbeRunsTable runs={runs} />
        </Box>
      )}
    </>
  );
}

/**
 * The entity's model API (`ml-governance.io/model-api`) under probing: provider, model and system
 * prompt, and latency, similarity and refusal rate per run against the baseline band.
 */
export function ModelApiProbeCard() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const probes = useModelApiProbes(stringifyEntityRef(entity));
  let body;
  if (probes.loading && !probes.value) body = <Progress />;
  else if (probes.error)
    body = (
      <ResponseErrorPanel
        error={probes.error}
        title={t('modelApiProbes.loadError')}
      />
    );
  else if (probes.value) body = <ProbeSeriesView series={probes.value} />;
  return (
    <InfoCard title={t('modelApiProbes.title')}>
      <div data-testid="ml-governance-model-api-probes">{body}</div>
    </InfoCard>
  );
}
