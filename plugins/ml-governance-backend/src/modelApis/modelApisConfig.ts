import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** One configured provider: the only base URLs the prober may call, with their credentials. */
export interface ModelApiProviderConfig {
  id: string;
  /** Wire protocol; only `openai-compatible` exists today. */
  type: 'openai-compatible';
  baseUrl: string;
  /** The bearer token, read from config (`apiKey`) or from the environment (`tokenEnv`). */
  apiKey?: string;
  requestsPerMinute: number;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Most times one request is retried after 429/5xx (Retry-After honoured). */
  maxRetries: number;
}

export type SimilarityConfig =
  | { type: 'lexical' }
  | { type: 'embedding'; provider: string; model: string };

export interface ModelApisConfig {
  providers: Map<string, ModelApiProviderConfig>;
  /** Undefined when no provider is configured: the prober is not scheduled. */
  schedule?: SchedulerServiceTaskScheduleDefinition;
  baseline: {
    /** Healthy runs the baseline is computed over. */
    window: number;
    /** Healthy runs needed before deviations alert (and before a version counts as evaluated). */
    minRuns: number;
    thresholdSigma: number;
    /** Smallest spread used per measure, so a flat baseline does not alert on noise. */
    stdDevFloor: { latencyMs: number; similarity: number; refusalRate: number };
  };
  similarity: SimilarityConfig;
  /** Most probes of a suite that are run (the rest are reported as a declaration problem). */
  maxProbes: number;
  /** Largest system prompt or probe suite read. */
  maxDocumentBytes: number;
}

const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 1 },
  timeout: { minutes: 15 },
  initialDelay: { minutes: 2 },
};

function bounded(
  config: Config | undefined,
  key: string,
  fallback: number,
  min: number,
  max: number,
  prefix: string,
): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < min || value > max)
    throw new InputError(
      `${prefix}.${key} must be between ${min} and ${max}, got ${value}`,
    );
  return value;
}

function readProvider(
  id: string,
  config: Config,
  env: NodeJS.ProcessEnv,
): ModelApiProviderConfig {
  const prefix = `mlGovernance.modelApis.providers.${id}`;
  if (!PROVIDER_ID.test(id))
    throw new InputError(
      `${prefix}: a provider id is lower-case letters, digits, '.', '_' or '-'`,
    );
  const type = config.getOptionalString('type') ?? 'openai-compatible';
  if (type !== 'openai-compatible')
    throw new InputError(`${prefix}.type: unknown provider type ${type}`);
  const baseUrl = config.getString('baseUrl').replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new InputError(`${prefix}.baseUrl is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new InputError(`${prefix}.baseUrl must be http(s)`);
  if (parsed.username || parsed.password)
    throw new InputError(
      `${prefix}.baseUrl must not carry credentials; use apiKey or tokenEnv`,
    );
  const tokenEnv = config.getOptionalString('tokenEnv');
  const apiKey =
    config.getOptionalString('apiKey') ??
    (tokenEnv ? env[tokenEnv] : undefined);
  if (tokenEnv && !apiKey)
    throw new InputError(
      `${prefix}.tokenEnv names ${tokenEnv}, which is not set`,
    );
  return {
    id,
    type,
    baseUrl,
    apiKey,
    requestsPerMinute: bounded(
      config,
      'requestsPerMinute',
      60,
      1,
      100_000,
      prefix,
    ),
    timeoutMs: bounded(config, 'timeoutMs', 30_000, 100, 600_000, prefix),
    maxResponseBytes: bounded(
      config,
      'maxResponseBytes',
      1_048_576,
      1024,
      64 * 1_048_576,
      prefix,
    ),
    maxRetries: bounded(config, 'maxRetries', 2, 0, 10, prefix),
  };
}

/** Reads `mlGovernance.modelApis` (config.d.ts); a mistake fails start-up, never a silent default. */
export function readModelApisConfig(
  root: Config,
  env: NodeJS.ProcessEnv = process.env,
): ModelApisConfig {
  const config = root.getOptionalConfig('mlGovernance.modelApis');
  const prefix = 'mlGovernance.modelApis';
  const providers = new Map<string, ModelApiProviderConfig>();
  const providersConfig = config?.getOptionalConfig('providers');
  for (const id of providersConfig?.keys() ?? [])
    providers.set(id, readProvider(id, providersConfig!.getConfig(id), env));

  const enabled = config?.getOptionalBoolean('enabled') ?? providers.size > 0;
  const configuredSchedule = config?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;
  const schedule =
    enabled && providers.size > 0 ? configuredSchedule : undefined;

  const window = bounded(config, 'baseline.window', 10, 2, 500, prefix);
  const minRuns = bounded(config, 'baseline.minRuns', 5, 2, window, prefix);
  const similarityType =
    config?.getOptionalString('similarity.type') ?? 'lexical';
  let similarity: SimilarityConfig;
  if (similarityType === 'lexical') similarity = { type: 'lexical' };
  else if (similarityType === 'embedding') {
    const provider = config!.getString('similarity.provider');
    if (!providers.has(provider))
      throw new InputError(
        `${prefix}.similarity.provider names ${provider}, which is not a configured provider`,
      );
    similarity = {
      type: 'embedding',
      provider,
      model: config!.getString('similarity.model'),
    };
  } else
    throw new InputError(
      `${prefix}.similarity.type must be lexical or embedding, got ${similarityType}`,
    );

  return {
    providers,
    schedule,
    baseline: {
      window,
      minRuns,
      thresholdSigma: bounded(
        config,
        'baseline.thresholdSigma',
        3,
        0.5,
        100,
        prefix,
      ),
      stdDevFloor: {
        latencyMs: bounded(
          config,
          'baseline.stdDevFloor.latencyMs',
          50,
          0,
          1e7,
          prefix,
        ),
        similarity: bounded(
          config,
          'baseline.stdDevFloor.similarity',
          0.02,
          0,
          1,
          prefix,
        ),
        refusalRate: bounded(
          config,
          'baseline.stdDevFloor.refusalRate',
          0.05,
          0,
          1,
          prefix,
        ),
      },
    },
    similarity,
    maxProbes: bounded(config, 'maxProbes', 50, 1, 1000, prefix),
    maxDocumentBytes: bounded(
      config,
      'maxDocumentBytes',
      262_144,
      1024,
      16 * 1_048_576,
      prefix,
    ),
  };
}
