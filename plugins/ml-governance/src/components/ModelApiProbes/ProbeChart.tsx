import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ModelApiProbeRunPoint } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { mlGovernanceTranslationRef } from '../../translation';
import { formatDateTime } from '../common/format';
import type { Translate } from '../common/labels';
import {
  BaselineBand,
  PlotPoint,
  ProbeMeasure,
  measureValue,
  plotPoints,
  polyline,
  scaleY,
  valueDomain,
} from './probeChartGeometry';
import { alertKindsText, formatMeasure, measureLabel } from './probeFormat';

const WIDTH = 560;
const HEIGHT = 150;
const PAD = { top: 10, right: 12, bottom: 22, left: 64 };
const PLOT_WIDTH = WIDTH - PAD.left - PAD.right;
const PLOT_HEIGHT = HEIGHT - PAD.top - PAD.bottom;

/** The sentence a screen reader gets instead of the picture: range, latest value, band, alerts. */
function describeChart(
  t: Translate,
  measure: ProbeMeasure,
  points: PlotPoint[],
  band: BaselineBand | undefined,
): string {
  const format = (value: number) => formatMeasure(t, measure, value);
  const runs = points.length
    ? t('modelApiProbes.chartSummary', {
        measure: measureLabel(t, measure),
        total: String(points.length),
        first: formatDateTime(points[0].run.startedAt),
        last: formatDateTime(points[points.length - 1].run.startedAt),
        latest: format(points[points.length - 1].value),
        alerts: String(points.filter(p => p.alerted).length),
      })
    : measureLabel(t, measure);
  const bandText = band
    ? t('modelApiProbes.chartBand', {
        low: format(band.low),
        high: format(band.high),
        mean: format(band.mean),
      })
    : t('modelApiProbes.chartNoBand');
  return `${runs} ${bandText}`;
}

function pointTitle(t: Translate, measure: ProbeMeasure, point: PlotPoint) {
  const time = formatDateTime(point.run.startedAt);
  const value = formatMeasure(t, measure, point.value);
  return point.alerted
    ? t('modelApiProbes.pointWithAlerts', {
        time,
        value,
        alerts: alertKindsText(t, point.run.alerts),
      })
    : t('modelApiProbes.point', { time, value });
}

/** A diamond around (x, y): alert runs differ from the others in shape, not only in colour. */
function diamond(x: number, y: number, size: number): string {
  return `M${x},${y - size} L${x + size},${y} L${x},${y + size} L${
    x - size
  },${y} Z`;
}

/**
 * One measure of the probe runs as a line, against the baseline band (mean ± thresholdSigma × stdDev)
 * and its mean. Plain SVG: every point carries its time and value in a `<title>` (a tooltip in the
 * browser), alert runs are diamonds, and the svg's label says the same in a sentence.
 */
export function ProbeChart(props: {
  measure: ProbeMeasure;
  runs: ModelApiProbeRunPoint[];
  band?: BaselineBand;
  bounds: { min: number; max: number };
}) {
  const { measure, runs, band, bounds } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const theme = useTheme();
  const values = runs.flatMap(run => {
    const value = measureValue(run, measure);
    return value === undefined ? [] : [value];
  });
  const domain = valueDomain(values, band, bounds);
  const points = plotPoints(runs, measure, PLOT_WIDTH, PLOT_HEIGHT, domain);
  const y = (value: number) => scaleY(value, domain, PLOT_HEIGHT);
  const format = (value: number) => formatMeasure(t, measure, value);
  const alertColour = theme.palette.error.main;
  const lineColour = theme.palette.primary.main;
  const axisText = { fontSize: 10, fill: 'currentColor' };

  return (
    <Box mb={2} data-testid={`ml-governance-probe-chart-${measure}`}>
      <Typography variant="subtitle2" component="h3">
        {measureLabel(t, measure)}
      </Typography>
      <svg
        role="img"
        aria-label={describeChart(t, measure, points, band)}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{ maxWidth: WIDTH, display: 'block' }}
      >
        <title>{measureLabel(t, measure)}</title>
        <g transform={`translate(${PAD.left},${PAD.top})`}>
          {band && (
            <rect
              data-testid="ml-governance-probe-band"
              data-low={band.low}
              data-high={band.high}
              x={0}
              y={y(band.high)}
              width={PLOT_WIDTH}
              height={Math.max(1, y(band.low) - y(band.high))}
              fill={theme.palette.success.main}
              fillOpacity={0.15}
            >
              <title>
                {t('modelApiProbes.chartBand', {
                  low: format(band.low),
                  high: format(band.high),
                  mean: format(band.mean),
                })}
              </title>
            </rect>
          )}
          {band && (
            <line
              data-testid="ml-governance-probe-mean"
              x1={0}
              x2={PLOT_WIDTH}
              y1={y(band.mean)}
              y2={y(band.mean)}
              stroke={theme.palette.success.dark}
              strokeDasharray="4 3"
            />
          )}
          <line
            x1={0}
            y1={PLOT_HEIGHT}
            x2={PLOT_WIDTH}
            y2={PLOT_HEIGHT}
            stroke="#9e9e9e"
          />
          <line x1={0} y1={0} x2={0} y2={PLOT_HEIGHT} stroke="#9e9e9e" />
          <text x={-6} y={8} textAnchor="end" {...axisText}>
            {format(domain[1])}
          </text>
          <text x={-6} y={PLOT_HEIGHT} textAnchor="end" {...axisText}>
            {format(domain[0])}
          </text>
          {points.length > 0 && (
            <>
              <text x={0} y={PLOT_HEIGHT + 15} {...axisText}>
                {formatDateTime(points[0].run.startedAt)}
              </text>
              <text
                x={PLOT_WIDTH}
                y={PLOT_HEIGHT + 15}
                textAnchor="end"
                {...axisText}
              >
                {formatDateTime(points[points.length - 1].run.startedAt)}
              </text>
            </>
          )}
          <polyline
            fill="none"
            stroke={lineColour}
            strokeWidth={2}
            points={polyline(points)}
          />
          {points.map(point =>
            point.alerted ? (
              <path
                key={point.run.id}
                data-testid="ml-governance-probe-point"
                data-alert="true"
                d={diamond(point.x, point.y, 6)}
                fill={alertColour}
              >
                <title>{pointTitle(t, measure, point)}</title>
              </path>
            ) : (
              <circle
                key={point.run.id}
                data-testid="ml-governance-probe-point"
                data-alert="false"
                cx={point.x}
                cy={point.y}
                r={3}
                fill={lineColour}
              >
                <title>{pointTitle(t, measure, point)}</title>
              </circle>
            ),
          )}
        </g>
      </svg>
    </Box>
  );
}
