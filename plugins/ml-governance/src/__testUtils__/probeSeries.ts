import type { Entity } from '@backstage/catalog-model';
import type {
  ModelApiProbeRunPoint,
  ModelApiProbeSeries,
} from '@ml-governance/plugin-ml-governance-common';

export const MODEL_API_REF = 'api:default/support-llm';

export const modelApiEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: {
    name: 'support-llm',
    namespace: 'default',
    annotations: {
      'ml-governance.io/model-api': 'openai-compatible/gpt-4o-2024-08-06',
    },
  },
  spec: { type: 'llm', owner: 'group:default/ml-platform' },
};

/** A healthy run at hour `index` of 2026-12-01: latency near 200 ms, similarity near 0.9. */
export function run(
  index: number,
  partial: Partial<ModelApiProbeRunPoint> = {},
): ModelApiProbeRunPoint {
  return {
    id: `run-${index}`,
    startedAt: new Date(Date.UTC(2026, 11, 1, index)).toISOString(),
    probes: 20,
    errors: 0,
    latencyMs: 200 + (index % 3) * 10,
    similarity: 0.9 + (index % 2) * 0.01,
    refusalRate: 0.1,
    observedModel: 'gpt-4o-2024-08-06',
    alerts: [],
    ...partial,
  };
}

/**
 * Ten healthy runs and a last one whose latency left the band (200 ± 3 × 20 ms → 140..260 ms) and
 * whose answers drifted.
 */
export function series(
  partial: Partial<ModelApiProbeSeries> = {},
): ModelApiProbeSeries {
  return {
    entityRef: MODEL_API_REF,
    provider: 'openai-compatible',
    model: 'gpt-4o-2024-08-06',
    modelPinned: true,
    systemPrompt: {
      location: 'https://git.example.test/support/prompts/system.md',
      digest: `sha256:${'5e'.repeat(32)}`,
    },
    thresholdSigma: 3,
    stage: 'promoted',
    baseline: {
      runs: 10,
      latencyMs: { mean: 200, stdDev: 20 },
      similarity: { mean: 0.9, stdDev: 0.01 },
      refusalRate: { mean: 0.1, stdDev: 0.02 },
    },
    runs: [
      ...Array.from({ length: 10 }, (_, index) => run(index)),
      run(10, {
        latencyMs: 910,
        similarity: 0.62,
        alerts: [
          {
            kind: 'latency',
            message: 'mean latency 910 ms is 35.5σ above the baseline',
          },
          {
            kind: 'similarity',
            message: 'similarity 0.62 is 28σ below the baseline',
          },
        ],
      }),
    ],
    ...partial,
  };
}
