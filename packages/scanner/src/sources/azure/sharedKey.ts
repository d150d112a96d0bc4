import { createHmac } from 'node:crypto';

/**
 * Azure Storage Shared Key authorisation (Blob service, version 2009-09-19 and later), written from
 * the documented string-to-sign rather than taken from the SDK: it is a dozen lines, and the SDK
 * (`@azure/storage-blob` with core-rest-pipeline, core-xml, abort-controller, tracing…) would load
 * far more than the two REST calls a scan makes.
 *
 * StringToSign = VERB \n Content-Encoding \n Content-Language \n Content-Length \n Content-MD5 \n
 *   Content-Type \n Date \n If-Modified-Since \n If-Match \n If-None-Match \n If-Unmodified-Since \n
 *   Range \n CanonicalizedHeaders CanonicalizedResource
 */
export function sharedKeyStringToSign(
  method: string,
  url: URL,
  headers: Record<string, string>,
  account: string,
): string {
  const header = (name: string): string => {
    const found = Object.entries(headers).find(
      ([key]) => key.toLowerCase() === name,
    );
    return found ? found[1] : '';
  };
  // From version 2015-02-21 a zero Content-Length is signed as the empty string.
  const contentLength =
    header('content-length') === '0' ? '' : header('content-length');
  return [
    method.toUpperCase(),
    header('content-encoding'),
    header('content-language'),
    contentLength,
    header('content-md5'),
    header('content-type'),
    header('date'),
    header('if-modified-since'),
    header('if-match'),
    header('if-none-match'),
    header('if-unmodified-since'),
    header('range'),
    canonicalizedHeaders(headers) + canonicalizedResource(url, account),
  ].join('\n');
}

/** `x-ms-*` headers, lower-cased, sorted, `name:value\n` with folded whitespace trimmed. */
function canonicalizedHeaders(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name]) => name.startsWith('x-ms-'))
    .sort(([a], [b]) => (a < b ? -1 : Number(a > b)))
    .map(([name, value]) => `${name}:${value.replace(/\s+/g, ' ').trim()}\n`)
    .join('');
}

/**
 * `/<account><encoded path>` then each query parameter, lower-cased name, sorted, `\nname:v1,v2`
 * with decoded values. Against an emulator (path-style `…/<account>/<container>`) the account name
 * therefore appears twice, as the documentation says it must.
 */
function canonicalizedResource(url: URL, account: string): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) {
    const key = name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), value]);
  }
  const params = [...byName.keys()]
    .sort()
    .map(name => `\n${name}:${byName.get(name)!.sort().join(',')}`)
    .join('');
  return `/${account}${url.pathname || '/'}${params}`;
}

/** `SharedKey <account>:<base64 HMAC-SHA256 of the string-to-sign under the decoded account key>`. */
export function sharedKeyAuthorization(
  method: string,
  url: URL,
  headers: Record<string, string>,
  account: string,
  accountKey: string,
): string {
  const signature = createHmac('sha256', Buffer.from(accountKey, 'base64'))
    .update(sharedKeyStringToSign(method, url, headers, account), 'utf8')
    .digest('base64');
  return `SharedKey ${account}:${signature}`;
}
