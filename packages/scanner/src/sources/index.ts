export type {
  RemoteFile,
  RemoteSource,
  RemoteTree,
  SourceRecord,
  TransferContext,
} from './types';
export {
  createRemoteSource,
  isRemoteUri,
  newTransferContext,
  remoteSourcesFromEnv,
  type RemoteSourcesConfig,
} from './remoteSources';
export {
  scanRemoteSource,
  REMOTE_SCAN_DEFAULTS,
  type RemoteScanOptions,
} from './scanRemote';
export {
  HuggingFaceSource,
  DEFAULT_HUB_ENDPOINT,
  type HuggingFaceSourceOptions,
} from './huggingface/HuggingFaceSource';
export {
  S3Source,
  parseS3Uri,
  type S3SourceOptions,
  type S3Ref,
} from './s3/S3Source';
export type { HubModelRef } from './huggingface/uri';
export {
  MlflowSource,
  parseMlflowUri,
  type MlflowSourceOptions,
  type MlflowRef,
} from './mlflow/MlflowSource';
export {
  GcsSource,
  parseGcsUri,
  DEFAULT_GCS_ENDPOINT,
  type GcsSourceOptions,
  type GcsRef,
} from './gcs/GcsSource';
export {
  AzureBlobSource,
  isAzureBlobUrl,
  parseAzureBlobUri,
  type AzureAccountOptions,
  type AzureBlobSourceOptions,
  type AzureBlobRef,
} from './azure/AzureBlobSource';
export { isPrivateAddress, type HostPolicy } from './http/hostPolicy';
export type { HttpClientOptions } from './http/httpClient';
