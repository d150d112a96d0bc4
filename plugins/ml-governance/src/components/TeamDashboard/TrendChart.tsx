import type { TeamTrendPoint } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { describeTrend, polylinePoints, trendSeries } from './trend';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

const WIDTH = 560;
const HEIGHT = 140;
const PAD = { top: 10, right: 10, bottom: 22, left: 34 };

/**
 * Open findings and blocked entities per day as two lines. Plain SVG: no chart library; the
 * sentence in aria-label carries the same information for screen readers.
 */
export function TrendChart(props: { points: TeamTrendPoint[] }) {
  const { points } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  if (points.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('labels.trend.noDataExplained')}
      </Typography>
    );
  }
  const series = trendSeries(t, points);
  const max = Math.max(1, ...series.flatMap(s => s.values));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  return (
    <Box>
      <svg
        role="img"
        aria-label={describeTrend(t, points)}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{ maxWidth: WIDTH, display: 'block' }}
        data-testid="ml-governance-trend-chart"
      >
        <g transform={`translate(${PAD.left},${PAD.top})`}>
          <line
            x1={0}
            y1={plotHeight}
            x2={plotWidth}
            y2={plotHeight}
            stroke="#9e9e9e"
          />
          <line x1={0} y1={0} x2={0} y2={plotHeight} stroke="#9e9e9e" />
          <text x={-6} y={4} textAnchor="end" fontSize={10} fill="currentColor">
            {max}
          </text>
          <text
            x={-6}
            y={plotHeight}
            textAnchor="end"
            fontSize={10}
            fill="currentColor"
          >
            0
          </text>
          <text x={0} y={plotHeight + 15} fontSize={10} fill="currentColor">
            {points[0].date}
          </text>
          <text
            x={plotWidth}
            y={plotHeight + 15}
            textAnchor="end"
            fontSize={10}
            fill="currentColor"
          >
            {points[points.length - 1].date}
          </text>
          {series.map(s => (
            <polyline
              key={s.label}
              fill="none"
              stroke={s.colour}
              strokeWidth={2}
              points={polylinePoints(s.values, plotWidth, plotHeight, max)}
            />
          ))}
        </g>
      </svg>
      <Box display="flex" style={{ gap: 16 }} mt={1} aria-hidden>
        {series.map(s => (
          <Typography key={s.label} variant="caption">
            <span
              style={{
                display: 'inline-block',
                width: 12,
                height: 3,
                background: s.colour,
                verticalAlign: 'middle',
                marginRight: 4,
              }}
            />
            {s.label}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}
