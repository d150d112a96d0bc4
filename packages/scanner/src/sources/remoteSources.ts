import {
  ConcurrencyLimiter,
  REMOTE_DEFAULTS,
  RemoteReadError,
  TransferMeter,
} from '../io/RemoteByteSource';
import {
  DEFAULT_HUB_ENDPOINT,
  HuggingFaceSource,
  type HuggingFaceSourceOptions,
} from './huggingface/HuggingFaceSource';
import { parseHubUri } from './huggingface/uri';
import {
  MlflowSource,
  parseMlflowUri,
  type MlflowSourceOptions,
} from './mlflow/MlflowSource';
import { parseS3Uri, S3Source, type S3SourceOptions } from './s3/S3Source';
import {
  gcsEndpointFromEmulatorHost,
  GcsSource,
  parseGcsUri,
  type GcsSourceOptions,
} from './gcs/GcsSource';
import {
  AzureBlobSource,
  isAzureBlobUrl,
  parseAzureBlobUri,
  type AzureBlobSourceOptions,
} from './azure/AzureBlobSource';
import { azureFromEnv } from './azure/azureEnv';
import type { RemoteSource, TransferContext } from './types';

/** Where remote sources live and how to authenticate; absent sections disable that source. */
export interface RemoteSourcesConfig {
  huggingface?: HuggingFaceSourceOptions;
  s3?: S3SourceOptions;
  mlflow?: MlflowSourceOptions;
  gcs?: GcsSourceOptions;
  azure?: AzureBlobSourceOptions;
  /** Range requests in flight at once, across the files of one scan. */
  parallelRequests?: number;
}

/**
 * True for a target string a remote source claims (`hf://`, `s3://`, `mlflow://`, `gs://`, `az://`,
 * a Hub https URL, an `https://<account>.blob.core.windows.net/…` URL).
 */
export function isRemoteUri(
  uri: string,
  config: RemoteSourcesConfig = {},
): boolean {
  if (/^(hf|s3|mlflow|gs|az):\/\//.test(uri)) return true;
  if (isAzureBlobUrl(uri)) return true;
  return (
    parseHubUri(uri, config.huggingface?.endpoint ?? DEFAULT_HUB_ENDPOINT) !==
    undefined
  );
}

export function newTransferContext(
  config: RemoteSourcesConfig = {},
): TransferContext {
  return {
    limiter: new ConcurrencyLimiter(
      config.parallelRequests ?? REMOTE_DEFAULTS.parallelRequests,
    ),
    meter: new TransferMeter(),
  };
}

/** Builds the source for a URI, or throws a RemoteReadError saying why it cannot be read. */
export function createRemoteSource(
  uri: string,
  config: RemoteSourcesConfig,
  transfer: TransferContext = newTransferContext(config),
): RemoteSource {
  if (uri.startsWith('s3://')) {
    const ref = parseS3Uri(uri);
    if (!ref)
      throw new RemoteReadError(
        `${uri}: not an s3://bucket/prefix URI with a DNS-compatible bucket name`,
      );
    if (!config.s3)
      throw new RemoteReadError(`${uri}: the S3 source is not configured`);
    return new S3Source(ref, transfer, config.s3);
  }
  if (uri.startsWith('gs://')) {
    const ref = parseGcsUri(uri);
    if (!ref)
      throw new RemoteReadError(
        `${uri}: not a gs://bucket/prefix URI with a valid bucket name`,
      );
    if (!config.gcs)
      throw new RemoteReadError(
        `${uri}: the Google Cloud Storage source is not configured`,
      );
    return new GcsSource(ref, transfer, config.gcs);
  }
  if (uri.startsWith('az://') || isAzureBlobUrl(uri)) {
    const ref = parseAzureBlobUri(uri);
    if (!ref)
      throw new RemoteReadError(
        `${uri}: not an az://<account>/<container>[/<prefix>] URI with valid account and container names`,
      );
    if (!config.azure)
      throw new RemoteReadError(
        `${uri}: the Azure Blob Storage source is not configured`,
      );
    return new AzureBlobSource(ref, transfer, config.azure);
  }
  if (uri.startsWith('mlflow://')) {
    const ref = parseMlflowUri(uri);
    if (!ref)
      throw new RemoteReadError(
        `${uri}: not an mlflow://<name>/<version|stage|alias> URI`,
      );
    if (!config.mlflow)
      throw new RemoteReadError(
        `${uri}: no MLflow tracking server is configured`,
      );
    return new MlflowSource(ref, transfer, config.mlflow);
  }
  const hub = config.huggingface ?? {};
  const ref = parseHubUri(uri, hub.endpoint ?? DEFAULT_HUB_ENDPOINT);
  if (!ref)
    throw new RemoteReadError(
      `${uri}: not an hf://<org>/<name>[@revision] URI or a model URL on the configured Hub`,
    );
  return new HuggingFaceSource(ref, transfer, hub);
}

/**
 * The CLI's sources from the usual environment variables: HF_ENDPOINT, HF_TOKEN (MLGOV_HF_REDIRECT_HOSTS
 * for a self-hosted Hub's storage hosts); AWS_* (the SDK's
 * own chain) and AWS_ENDPOINT_URL(_S3); MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN or _USERNAME/_PASSWORD;
 * GOOGLE_OAUTH_ACCESS_TOKEN (or a service-account key file in GOOGLE_APPLICATION_CREDENTIALS) and
 * STORAGE_EMULATOR_HOST; AZURE_STORAGE_CONNECTION_STRING or
 * AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY / AZURE_STORAGE_SAS_TOKEN (see azureEnv.ts).
 */
export function remoteSourcesFromEnv(
  env: Record<string, string | undefined>,
): RemoteSourcesConfig {
  const s3Endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const s3: S3SourceOptions = {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    ...(s3Endpoint ? { endpoint: s3Endpoint } : {}),
  };
  const azure = azureFromEnv(env);
  return {
    gcs: {
      ...(env.STORAGE_EMULATOR_HOST
        ? { endpoint: gcsEndpointFromEmulatorHost(env.STORAGE_EMULATOR_HOST) }
        : {}),
      ...(env.GOOGLE_OAUTH_ACCESS_TOKEN
        ? { token: env.GOOGLE_OAUTH_ACCESS_TOKEN }
        : {}),
      ...(env.GOOGLE_APPLICATION_CREDENTIALS && !env.GOOGLE_OAUTH_ACCESS_TOKEN
        ? { serviceAccountKeyFile: env.GOOGLE_APPLICATION_CREDENTIALS }
        : {}),
    },
    ...(azure ? { azure } : {}),
    huggingface: {
      ...(env.HF_ENDPOINT ? { endpoint: env.HF_ENDPOINT } : {}),
      // A self-hosted Hub's file storage, when reads redirect there (the public Hub's CDNs are built in).
      ...(env.MLGOV_HF_REDIRECT_HOSTS
        ? {
            redirectHosts: env.MLGOV_HF_REDIRECT_HOSTS.split(',').map(h =>
              h.trim(),
            ),
          }
        : {}),
      ...(env.HF_TOKEN ? { token: env.HF_TOKEN } : {}),
    },
    s3,
    ...(env.MLFLOW_TRACKING_URI && /^https?:\/\//.test(env.MLFLOW_TRACKING_URI)
      ? {
          mlflow: {
            trackingUri: env.MLFLOW_TRACKING_URI,
            token: env.MLFLOW_TRACKING_TOKEN,
            username: env.MLFLOW_TRACKING_USERNAME,
            password: env.MLFLOW_TRACKING_PASSWORD,
            s3,
          },
        }
      : {}),
  };
}
