import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  ANNOTATION_MODEL_API,
  type ModelApiProbeSeries,
} from '@ml-governance/plugin-ml-governance-common';
import type { ModelApiProbeStore } from '../database/ModelApiProbeStore';
import type { PromotionStore } from '../database/PromotionStore';
import { parseModelApiDeclaration } from './declaration';
import { computeBaseline } from './drift';
import type { ModelApisConfig } from './modelApisConfig';

/** Builds what `GET /model-apis/probes` answers (the shared contract in ModelApiProbeSeries). */
export class ModelApiSeriesService {
  constructor(
    private readonly options: {
      config: ModelApisConfig;
      probeRuns: ModelApiProbeStore;
      promotions: PromotionStore;
    },
  ) {}

  async series(entity: Entity, limit: number): Promise<ModelApiProbeSeries> {
    const { config, probeRuns, promotions } = this.options;
    const entityRef = stringifyEntityRef(entity);
    if (entity.metadata.annotations?.[ANNOTATION_MODEL_API] === undefined)
      throw new NotFoundError(
        `${entityRef} declares no ${ANNOTATION_MODEL_API}`,
      );
    const parsed = parseModelApiDeclaration(
      entity,
      new Set(config.providers.keys()),
    );
    const runs = (await probeRuns.listRuns(entityRef, limit)).reverse();
    const latest = [...runs].reverse().find(run => run.error === undefined);
    const baseline = latest
      ? computeBaseline(
          await probeRuns.listHealthyMeasures(
            entityRef,
            latest.versionDigest,
            config.baseline.window,
          ),
          config.baseline,
        )
      : undefined;
    const current = (await promotions.listVersions(entityRef)).find(
      version => version.source === 'model-api' && version.current,
    );
    const declared = parsed.ok
      ? {
          provider: parsed.declaration.providerId,
          model: parsed.declaration.model,
          modelPinned: parsed.declaration.modelPinned,
          ...(parsed.declaration.systemPrompt
            ? {
                systemPrompt: {
                  location: parsed.declaration.systemPrompt,
                  ...(latest?.systemPromptDigest
                    ? { digest: latest.systemPromptDigest }
                    : {}),
                },
              }
            : {}),
        }
      : {
          provider: parsed.provider,
          model: parsed.model,
          modelPinned: false,
          declarationError: parsed.error,
        };
    return {
      entityRef,
      ...declared,
      thresholdSigma: config.baseline.thresholdSigma,
      ...(current ? { stage: current.stage } : {}),
      ...(baseline ? { baseline } : {}),
      runs: runs.map(run => ({
        id: run.id,
        startedAt: run.startedAt,
        probes: run.probes,
        errors: run.errors,
        latencyMs: run.latencyMs,
        similarity: run.similarity,
        refusalRate: run.refusalRate,
        ...(run.observedModel !== undefined
          ? { observedModel: run.observedModel }
          : {}),
        alerts: run.alerts,
      })),
    };
  }
}
