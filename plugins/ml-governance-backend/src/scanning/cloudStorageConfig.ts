import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type {
  AzureAccountOptions,
  AzureBlobSourceOptions,
  GcsSourceOptions,
  HttpClientOptions,
} from '@ml-governance/scanner';
import { checkUrl } from './remoteSourcesConfig';

type HttpOptions = Omit<HttpClientOptions, 'allowedHosts'>;

/** `mlGovernance.sources.gcs`: endpoint (an emulator's, or the public JSON API), token or key, buckets. */
export function readGcsConfig(
  section: Config,
  http: HttpOptions,
): GcsSourceOptions {
  const endpoint = section.getOptionalString('endpoint');
  if (endpoint) checkUrl(endpoint, 'mlGovernance.sources.gcs.endpoint');
  const token = section.getOptionalString('token');
  const serviceAccountKey = section.getOptionalString('serviceAccountKey');
  if (token && serviceAccountKey)
    throw new InputError(
      'mlGovernance.sources.gcs: set token or serviceAccountKey, not both',
    );
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(token ? { token } : {}),
    ...(serviceAccountKey ? { serviceAccountKey } : {}),
    allowedBuckets: section.getOptionalStringArray('allowedBuckets'),
    http,
  };
}

const ACCOUNT = /^[a-z0-9]{3,24}$/;

/**
 * `mlGovernance.sources.azure.accounts.<name>`: each readable storage account with its Shared Key or
 * SAS token and, for Azurite or a private endpoint, its Blob endpoint. An account not listed here
 * cannot be reached, whatever an annotation names.
 */
export function readAzureConfig(
  section: Config,
  http: HttpOptions,
): AzureBlobSourceOptions {
  const accounts: Record<string, AzureAccountOptions> = {};
  const listed = section.getOptionalConfig('accounts');
  for (const name of listed?.keys() ?? []) {
    const key = `mlGovernance.sources.azure.accounts.${name}`;
    if (!ACCOUNT.test(name))
      throw new InputError(
        `${key}: a storage account name is 3–24 lower-case letters and digits`,
      );
    const account = listed!.getConfig(name);
    const accountKey = account.getOptionalString('accountKey');
    const sasToken = account.getOptionalString('sasToken');
    const endpoint = account.getOptionalString('endpoint');
    if (accountKey && sasToken)
      throw new InputError(`${key}: set accountKey or sasToken, not both`);
    if (endpoint) checkUrl(endpoint, `${key}.endpoint`);
    accounts[name] = {
      ...(accountKey ? { accountKey } : {}),
      ...(sasToken ? { sasToken } : {}),
      ...(endpoint ? { endpoint } : {}),
    };
  }
  return {
    accounts,
    allowedContainers: section.getOptionalStringArray('allowedContainers'),
    http,
  };
}
