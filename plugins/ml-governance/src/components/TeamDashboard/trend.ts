import {
  SEVERITIES,
  TeamTrendPoint,
} from '@ml-governance/plugin-ml-governance-common';
import type { Translate } from '../common/labels';

export interface TrendSeries {
  label: string;
  colour: string;
  values: number[];
}

/** Total open findings per day, and blocked entities per day, from the team trend. */
export function trendSeries(
  t: Translate,
  points: TeamTrendPoint[],
): TrendSeries[] {
  return [
    {
      label: t('labels.trend.openFindings'),
      colour: '#1f5fa8',
      values: points.map(point =>
        SEVERITIES.reduce((sum, s) => sum + (point.open[s] ?? 0), 0),
      ),
    },
    {
      label: t('labels.trend.blockedEntities'),
      colour: '#c62828',
      values: points.map(point => point.blockedEntities),
    },
  ];
}

/** Polyline points for values scaled into a width × height box (y grows downwards). */
export function polylinePoints(
  values: number[],
  width: number,
  height: number,
  max: number,
): string {
  if (values.length === 0) return '';
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const scale = max > 0 ? height / max : 0;
  return values
    .map(
      (value, index) =>
        `${(index * step).toFixed(1)},${(height - value * scale).toFixed(1)}`,
    )
    .join(' ');
}

/** One sentence a screen reader can use instead of the chart. */
export function describeTrend(t: Translate, points: TeamTrendPoint[]): string {
  if (points.length === 0) return t('labels.trend.noData');
  const [open, blocked] = trendSeries(t, points);
  return t('labels.trend.description', {
    first: points[0].date,
    last: points[points.length - 1].date,
    openFirst: String(open.values[0]),
    openLast: String(open.values[open.values.length - 1]),
    blockedFirst: String(blocked.values[0]),
    blockedLast: String(blocked.values[blocked.values.length - 1]),
  });
}
