import type {
  AzureAccountOptions,
  AzureBlobSourceOptions,
} from './AzureBlobSource';

/**
 * The CLI's Azure account from the variables the Azure CLI reads: `AZURE_STORAGE_CONNECTION_STRING`
 * (`AccountName`, `AccountKey` or `SharedAccessSignature`, `BlobEndpoint` — how Azurite is reached),
 * else `AZURE_STORAGE_ACCOUNT` with `AZURE_STORAGE_KEY` or `AZURE_STORAGE_SAS_TOKEN` (neither: anonymous
 * reads of a public container). Undefined when no account is named.
 */
export function azureFromEnv(
  env: Record<string, string | undefined>,
): AzureBlobSourceOptions | undefined {
  const connection = env.AZURE_STORAGE_CONNECTION_STRING
    ? parseConnectionString(env.AZURE_STORAGE_CONNECTION_STRING)
    : {};
  const name = connection.AccountName ?? env.AZURE_STORAGE_ACCOUNT;
  if (!name) return undefined;
  const account: AzureAccountOptions = {};
  const key = connection.AccountKey ?? env.AZURE_STORAGE_KEY;
  const sas = connection.SharedAccessSignature ?? env.AZURE_STORAGE_SAS_TOKEN;
  if (key) account.accountKey = key;
  else if (sas) account.sasToken = sas;
  if (connection.BlobEndpoint) account.endpoint = connection.BlobEndpoint;
  return { accounts: { [name]: account } };
}

/** `Key=value;Key=value` (values may contain `=`, as base64 keys and SAS tokens do). */
function parseConnectionString(value: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of value.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) result[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return result;
}
