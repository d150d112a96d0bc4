import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { RemoteSourcesConfig } from '@ml-governance/scanner';
import { readAzureConfig, readGcsConfig } from './cloudStorageConfig';

/**
 * `mlGovernance.sources` (see config.d.ts): one section per remote source. A source without a section
 * is off, so only hosts an operator named are ever contacted; credentials live here, never in
 * catalog annotations.
 */
export function readRemoteSourcesConfig(root: Config): RemoteSourcesConfig {
  const sources = root.getOptionalConfig('mlGovernance.sources');
  if (!sources) return {};
  const result: RemoteSourcesConfig = {};
  const http = (section: Config) => ({
    ...(section.has('timeoutMs')
      ? { timeoutMs: section.getNumber('timeoutMs') }
      : {}),
    ...(section.has('retries')
      ? { retries: section.getNumber('retries') }
      : {}),
  });

  const hub = sources.getOptionalConfig('huggingface');
  if (hub) {
    result.huggingface = {
      endpoint: hub.getOptionalString('endpoint') ?? 'https://huggingface.co',
      token: hub.getOptionalString('token'),
      redirectHosts: hub.getOptionalStringArray('redirectHosts'),
      http: http(hub),
    };
    checkUrl(
      result.huggingface.endpoint!,
      'mlGovernance.sources.huggingface.endpoint',
    );
  }

  const s3 = sources.getOptionalConfig('s3');
  if (s3) {
    const accessKeyId = s3.getOptionalString('accessKeyId');
    result.s3 = {
      region: s3.getOptionalString('region'),
      endpoint: s3.getOptionalString('endpoint'),
      forcePathStyle: s3.getOptionalBoolean('forcePathStyle'),
      allowedBuckets: s3.getOptionalStringArray('allowedBuckets'),
      timeoutMs: s3.getOptionalNumber('timeoutMs'),
      ...(accessKeyId
        ? {
            credentials: {
              accessKeyId,
              secretAccessKey: s3.getString('secretAccessKey'),
              sessionToken: s3.getOptionalString('sessionToken'),
            },
          }
        : {}),
    };
    if (result.s3.endpoint)
      checkUrl(result.s3.endpoint, 'mlGovernance.sources.s3.endpoint');
  }

  const mlflow = sources.getOptionalConfig('mlflow');
  if (mlflow) {
    result.mlflow = {
      trackingUri: mlflow.getString('trackingUri'),
      token: mlflow.getOptionalString('token'),
      username: mlflow.getOptionalString('username'),
      password: mlflow.getOptionalString('password'),
      s3: result.s3,
      http: http(mlflow),
    };
    checkUrl(
      result.mlflow.trackingUri,
      'mlGovernance.sources.mlflow.trackingUri',
    );
  }

  const gcs = sources.getOptionalConfig('gcs');
  if (gcs) result.gcs = readGcsConfig(gcs, http(gcs));
  const azure = sources.getOptionalConfig('azure');
  if (azure) result.azure = readAzureConfig(azure, http(azure));

  const parallel = sources.getOptionalNumber('parallelRequests');
  if (parallel !== undefined) {
    if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) {
      throw new InputError(
        `mlGovernance.sources.parallelRequests must be an integer from 1 to 64, got ${parallel}`,
      );
    }
    result.parallelRequests = parallel;
  }
  return result;
}

export function checkUrl(value: string, key: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${key} must be an http(s) URL, got ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InputError(`${key} must be an http(s) URL, got ${value}`);
}
