import {
  SEVERITIES,
  TeamTrendPoint,
} from '@ml-governance/plugin-ml-governance-common';

export interface TrendSeries {
  label: string;
  colour: string;
  values: number[];
}

/** Total open findings per day, and blocked entities per day, from the team trend. */
export function trendSeries(points: TeamTrendPoint[]): TrendSeries[] {
  return [
    {
      label: 'Open findings',
      colour: '#1f5fa8',
      values: points.map(point =>
        SEVERITIES.reduce((sum, s) => sum + (point.open[s] ?? 0), 0),
      ),
    },
    {
      label: 'Blocked entities',
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
export function describeTrend(points: TeamTrendPoint[]): string {
  if (points.length === 0) return 'No trend data yet.';
  const [open, blocked] = trendSeries(points);
  const first = points[0].date;
  const last = points[points.length - 1].date;
  return `From ${first} to ${last}, open findings went from ${
    open.values[0]
  } to ${open.values[open.values.length - 1]} and blocked entities from ${
    blocked.values[0]
  } to ${blocked.values[blocked.values.length - 1]}.`;
}
