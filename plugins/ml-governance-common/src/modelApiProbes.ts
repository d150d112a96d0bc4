import type { ArtifactStage } from './promotion';

/**
 * Types of the model API prober (docs/model-apis.md): the series `GET /model-apis/probes` returns.
 */

/**
 * What a probe run raised. `latency`, `similarity` and `refusal-rate` are deviations from the
 * baseline; the others compare the declaration and what the provider reported.
 *
 * @public
 */
export type ModelApiAlertKind =
  | 'latency'
  | 'similarity'
  | 'refusal-rate'
  | 'model-version'
  | 'unpinned-model'
  | 'system-prompt'
  | 'probe-errors';

/** @public */
export const MODEL_API_ALERT_KINDS: readonly ModelApiAlertKind[] = [
  'latency',
  'similarity',
  'refusal-rate',
  'model-version',
  'unpinned-model',
  'system-prompt',
  'probe-errors',
];

/** @public */
export interface ModelApiAlert {
  kind: ModelApiAlertKind;
  message: string;
}

/** Mean and standard deviation of one measure over the baseline window. @public */
export interface ProbeStat {
  mean: number;
  stdDev: number;
}

/** @public */
export interface ModelApiBaseline {
  runs: number;
  latencyMs: ProbeStat;
  similarity: ProbeStat;
  refusalRate: ProbeStat;
}

/** One probe run, as the series shows it. @public */
export interface ModelApiProbeRunPoint {
  id: string;
  startedAt: string;
  probes: number;
  errors: number;
  /** Mean latency of the run's probes (those that answered). */
  latencyMs: number;
  /** 0..1, mean similarity of the answers to their reference answers. */
  similarity: number;
  /** 0..1, share of the answered probes that were refused. */
  refusalRate: number;
  observedModel?: string;
  alerts: ModelApiAlert[];
}

/**
 * Response of `GET /model-apis/probes?entityRef=…`: the declaration, the baseline and the runs
 * (oldest first).
 *
 * @public
 */
export interface ModelApiProbeSeries {
  entityRef: string;
  provider: string;
  model: string;
  modelPinned: boolean;
  systemPrompt?: { location: string; digest?: string };
  thresholdSigma: number;
  stage?: ArtifactStage;
  baseline?: ModelApiBaseline;
  /** Set when the entity's declaration cannot be used (the runs then record it as an error). */
  declarationError?: string;
  runs: ModelApiProbeRunPoint[];
}
