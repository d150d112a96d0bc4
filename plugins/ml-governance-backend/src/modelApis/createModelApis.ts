import type { ModelApiClient } from './ModelApiClient';
import { ModelApiProber, type ModelApiProberOptions } from './ModelApiProber';
import type { ModelApisConfig } from './modelApisConfig';
import { ModelApiSeriesService } from './ModelApiSeries';
import { OpenAiCompatibleClient } from './OpenAiCompatibleClient';
import {
  EmbeddingSimilarityMeasure,
  lexicalSimilarityMeasure,
  type SimilarityMeasure,
} from './similarityMeasures';
import { TokenBucket } from './TokenBucket';

/** One client per configured provider, each behind its own token bucket. */
export function createModelApiClients(
  config: ModelApisConfig,
): Map<string, ModelApiClient> {
  const clients = new Map<string, ModelApiClient>();
  for (const provider of config.providers.values())
    clients.set(
      provider.id,
      new OpenAiCompatibleClient(
        provider,
        new TokenBucket(provider.requestsPerMinute),
      ),
    );
  return clients;
}

export function createSimilarityMeasure(
  config: ModelApisConfig,
  clients: Map<string, ModelApiClient>,
): SimilarityMeasure {
  if (config.similarity.type === 'lexical') return lexicalSimilarityMeasure;
  return new EmbeddingSimilarityMeasure(
    clients.get(config.similarity.provider)!,
    config.similarity.model,
  );
}

/** The prober and the series behind `GET /model-apis/probes`, wired from config. */
export function createModelApis(
  options: Omit<ModelApiProberOptions, 'clients' | 'similarity'>,
): { prober: ModelApiProber; series: ModelApiSeriesService } {
  const clients = createModelApiClients(options.config);
  return {
    prober: new ModelApiProber({
      ...options,
      clients,
      similarity: createSimilarityMeasure(options.config, clients),
    }),
    series: new ModelApiSeriesService({
      config: options.config,
      probeRuns: options.probeRuns,
      promotions: options.promotions,
    }),
  };
}
