import type { Scanner, ScanOptions } from '../engine/Scanner';
import type { ScanResult } from '../model/finding';
import { RemoteReadError } from '../io/RemoteByteSource';
import {
  createRemoteSource,
  newTransferContext,
  remoteSourcesFromEnv,
} from './remoteSources';
import { scanRemoteSource } from './scanRemote';

/** A target the CLI hands to a remote source rather than the file system: it has a URI scheme. */
export function looksLikeUri(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
}

/**
 * `mlgov scan hf://…|s3://…|mlflow://…|gs://…|az://…|https://huggingface.co/…`: credentials and
 * endpoints from the environment (HF_TOKEN, HF_ENDPOINT, AWS_*, MLFLOW_TRACKING_URI,
 * GOOGLE_OAUTH_ACCESS_TOKEN, AZURE_STORAGE_*…). Throws a RemoteReadError for a
 * URI no source accepts (a usage error); read failures become findings in the result.
 */
export async function scanRemoteTarget(
  target: string,
  scanner: Scanner,
  env: Record<string, string | undefined>,
  onProgress: ScanOptions['onProgress'],
): Promise<ScanResult> {
  const config = remoteSourcesFromEnv(env);
  const transfer = newTransferContext(config);
  const source = createRemoteSource(target, config, transfer);
  return scanRemoteSource(scanner, source, transfer, { onProgress });
}

export { RemoteReadError };
