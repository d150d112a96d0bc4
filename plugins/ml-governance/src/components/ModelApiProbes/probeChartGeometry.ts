import type {
  ModelApiProbeRunPoint,
  ProbeStat,
} from '@ml-governance/plugin-ml-governance-common';

/** The measures of a probe run that are charted against the baseline. */
export type ProbeMeasure = 'latencyMs' | 'similarity' | 'refusalRate';

/** The values a measure can take: latency is never negative, the two shares stay within 0..1. */
export interface MeasureBounds {
  min: number;
  max: number;
}

export const MEASURE_BOUNDS: Record<ProbeMeasure, MeasureBounds> = {
  latencyMs: { min: 0, max: Number.POSITIVE_INFINITY },
  similarity: { min: 0, max: 1 },
  refusalRate: { min: 0, max: 1 },
};

/** The baseline band of one measure: mean ± thresholdSigma × stdDev, cut to what the measure can be. */
export interface BaselineBand {
  mean: number;
  low: number;
  high: number;
}

function clamp(value: number, bounds: MeasureBounds): number {
  return Math.min(bounds.max, Math.max(bounds.min, value));
}

/**
 * The band a run is compared with, or undefined when there is no usable baseline. Values the server
 * sent that are not finite numbers draw no band rather than a band that means nothing.
 */
export function baselineBand(
  stat: ProbeStat | undefined,
  thresholdSigma: number,
  bounds: MeasureBounds,
): BaselineBand | undefined {
  if (!stat) return undefined;
  const { mean, stdDev } = stat;
  if (![mean, stdDev, thresholdSigma].every(Number.isFinite)) return undefined;
  if (stdDev < 0 || thresholdSigma < 0) return undefined;
  const spread = thresholdSigma * stdDev;
  return {
    mean: clamp(mean, bounds),
    low: clamp(mean - spread, bounds),
    high: clamp(mean + spread, bounds),
  };
}

/** A measure's value of one run, or undefined when the server sent no finite number. */
export function measureValue(
  run: ModelApiProbeRunPoint,
  measure: ProbeMeasure,
): number | undefined {
  const value = run[measure];
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

/**
 * The value range the chart's y axis spans: every run and the band, with a margin so neither touches
 * the frame, and never past what the measure can be. A flat series gets a margin of its own so its
 * line sits in the middle rather than on an edge.
 */
export function valueDomain(
  values: number[],
  band: BaselineBand | undefined,
  bounds: MeasureBounds,
): [number, number] {
  const all = [...values, ...(band ? [band.low, band.high] : [])].filter(
    Number.isFinite,
  );
  const fallbackMax = Number.isFinite(bounds.max) ? bounds.max : 1;
  if (all.length === 0) return [bounds.min, fallbackMax];
  const min = Math.min(...all);
  const max = Math.max(...all);
  const span = max - min;
  const margin = span > 0 ? span * 0.1 : Math.max(Math.abs(max) * 0.1, 0.01);
  const low = Math.max(bounds.min, min - margin);
  const high = Math.min(bounds.max, max + margin);
  // Margins cut by the bounds on both sides (a flat series at a bound): keep a non-empty range.
  return high > low ? [low, high] : [bounds.min, fallbackMax];
}

/** Where a value sits on a y axis of `height` pixels (y grows downwards). */
export function scaleY(
  value: number,
  domain: [number, number],
  height: number,
): number {
  const [low, high] = domain;
  return height - ((value - low) / (high - low)) * height;
}

export interface PlotPoint {
  run: ModelApiProbeRunPoint;
  value: number;
  x: number;
  y: number;
  /** The run raised at least one alert (any kind: a changed model matters to every measure). */
  alerted: boolean;
}

/**
 * One point per run with a value, spread evenly over the width in run order (runs are scheduled, so
 * their order is the time axis); a single run sits in the middle.
 */
export function plotPoints(
  runs: ModelApiProbeRunPoint[],
  measure: ProbeMeasure,
  width: number,
  height: number,
  domain: [number, number],
): PlotPoint[] {
  const step = runs.length > 1 ? width / (runs.length - 1) : 0;
  const points: PlotPoint[] = [];
  runs.forEach((run, index) => {
    const value = measureValue(run, measure);
    if (value === undefined) return;
    points.push({
      run,
      value,
      x: runs.length > 1 ? index * step : width / 2,
      y: scaleY(value, domain, height),
      alerted: (run.alerts ?? []).length > 0,
    });
  });
  return points;
}

/** SVG polyline points of the plotted runs. */
export function polyline(points: PlotPoint[]): string {
  return points.map(p => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}
