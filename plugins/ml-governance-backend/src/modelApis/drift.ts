import type {
  ModelApiAlert,
  ModelApiBaseline,
  ProbeStat,
} from '@ml-governance/plugin-ml-governance-common';
import type { ModelApisConfig } from './modelApisConfig';

/** The three measures of a run that have a baseline. */
export interface RunMeasures {
  latencyMs: number;
  similarity: number;
  refusalRate: number;
}

type Measure = keyof RunMeasures;

const MEASURES: {
  key: Measure;
  kind: ModelApiAlert['kind'];
  label: string;
  unit: string;
}[] = [
  { key: 'latencyMs', kind: 'latency', label: 'Mean latency', unit: ' ms' },
  { key: 'similarity', kind: 'similarity', label: 'Mean similarity', unit: '' },
  { key: 'refusalRate', kind: 'refusal-rate', label: 'Refusal rate', unit: '' },
];

function stat(values: number[], floor: number): ProbeStat {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance =
    values.length > 1
      ? values.reduce((sum, v) => sum + (v - mean) ** 2, 0) /
        (values.length - 1)
      : 0;
  // The floor keeps a perfectly flat baseline (an exact cache, a deterministic model) from turning
  // the first sub-millisecond wobble into a 3-sigma alert; the band shown is the one alerts use.
  return { mean, stdDev: Math.max(Math.sqrt(variance), floor) };
}

/**
 * Mean and (sample) standard deviation of each measure over the newest `window` healthy runs;
 * undefined while fewer than `minRuns` exist (nothing alerts on deviation until then).
 */
export function computeBaseline(
  healthyNewestFirst: RunMeasures[],
  config: ModelApisConfig['baseline'],
): ModelApiBaseline | undefined {
  const runs = healthyNewestFirst.slice(0, config.window);
  if (runs.length < config.minRuns) return undefined;
  const of = (key: Measure) =>
    stat(
      runs.map(run => run[key]),
      config.stdDevFloor[key],
    );
  return {
    runs: runs.length,
    latencyMs: of('latencyMs'),
    similarity: of('similarity'),
    refusalRate: of('refusalRate'),
  };
}

function format(value: number, unit: string): string {
  return unit ? `${Math.round(value)}${unit}` : value.toFixed(3);
}

/** Deviation alerts: a measure further than thresholdSigma × stdDev from its baseline mean. */
export function deviationAlerts(
  run: RunMeasures,
  baseline: ModelApiBaseline | undefined,
  thresholdSigma: number,
): ModelApiAlert[] {
  if (!baseline) return [];
  const alerts: ModelApiAlert[] = [];
  for (const { key, kind, label, unit } of MEASURES) {
    const { mean, stdDev } = baseline[key];
    const sigmas = Math.abs(run[key] - mean) / stdDev;
    if (sigmas > thresholdSigma)
      alerts.push({
        kind,
        message: `${label} ${format(run[key], unit)} is ${sigmas.toFixed(
          1,
        )}σ from the baseline ${format(mean, unit)} ± ${format(
          stdDev,
          unit,
        )} (threshold ${thresholdSigma}σ over ${baseline.runs} runs)`,
      });
  }
  return alerts;
}

/** What the previous run saw, for change alerts. */
export interface PreviousObservation {
  observedModel?: string;
  systemPromptDigest?: string;
}

/**
 * Alerts that need no baseline: an unpinned model, a reported model other than the pinned one (or,
 * for an unpinned alias, other than the one seen last time), a changed system prompt, every probe
 * failing.
 */
export function declarationAlerts(input: {
  model: string;
  modelPinned: boolean;
  pinningReason: string;
  observedModel?: string;
  systemPromptDigest?: string;
  previous?: PreviousObservation;
  probes: number;
  errors: number;
  firstError?: string;
}): ModelApiAlert[] {
  const alerts: ModelApiAlert[] = [];
  if (!input.modelPinned)
    alerts.push({
      kind: 'unpinned-model',
      message: `Model is not pinned: ${input.pinningReason}`,
    });
  const { observedModel, previous } = input;
  if (observedModel !== undefined) {
    if (input.modelPinned && observedModel !== input.model)
      alerts.push({
        kind: 'model-version',
        message: `The provider answered with ${observedModel}, not the pinned ${input.model}`,
      });
    // A pinned model is checked against the pin only: answering as the pin again is the fix, not a change.
    else if (
      !input.modelPinned &&
      previous?.observedModel !== undefined &&
      previous.observedModel !== observedModel
    )
      alerts.push({
        kind: 'model-version',
        message: `The provider answered with ${observedModel}; the previous run got ${previous.observedModel}`,
      });
  }
  if (
    previous &&
    previous.systemPromptDigest !== input.systemPromptDigest &&
    (previous.systemPromptDigest !== undefined ||
      input.systemPromptDigest !== undefined)
  )
    alerts.push({
      kind: 'system-prompt',
      message: `System prompt changed: ${
        previous.systemPromptDigest ?? 'none'
      } → ${input.systemPromptDigest ?? 'none'}`,
    });
  if (input.probes > 0 && input.errors === input.probes)
    alerts.push({
      kind: 'probe-errors',
      message: `All ${input.probes} probes failed${
        input.firstError ? `: ${input.firstError}` : ''
      }`,
    });
  return alerts;
}
