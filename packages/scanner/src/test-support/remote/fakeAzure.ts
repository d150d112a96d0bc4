import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { notModified } from './fakeGcs';
import {
  applyFault,
  listen,
  record,
  sendObject,
  ServedBytes,
  type Fault,
  type RunningServer,
} from './rangeServer';
import type { VirtualObject } from './virtualObject';

export interface FakeAzureAccount {
  /** Base64 account key: requests must carry a valid Shared Key signature for it. */
  key?: string;
  /** SAS `sig` accepted instead (or as well). */
  sasSignature?: string;
  containers: Record<string, Record<string, VirtualObject>>;
}

export interface FakeAzure extends RunningServer {
  served: ServedBytes;
  faults: Fault[];
  accounts: Record<string, FakeAzureAccount>;
}

/** Azure's ETag shape (`"0x8D…"`), derived from the content so replacing a blob changes it. */
export function azureEtagOf(object: VirtualObject): string {
  return `"0x8D${object.etag.replace(/"/g, '').slice(0, 13).toUpperCase()}"`;
}

/**
 * An Azure Blob service stand-in, path-style as Azurite serves it (`/{account}/{container}[/{blob}]`):
 * List Blobs (`restype=container&comp=list`, `prefix`, `marker`/`NextMarker`, `maxresults`), Get Blob
 * with `x-ms-range` or `Range` (206/416), `If-Match` (412 ConditionNotMet) and `If-None-Match` (304).
 * Requests need `x-ms-version` and either a Shared Key signature this server recomputes from the
 * documented string-to-sign (its own implementation, not the client's), or the account's SAS `sig`:
 * none is 401 NoAuthenticationInformation, a wrong one 403 AuthenticationFailed.
 */
export async function startFakeAzure(
  accounts: Record<string, FakeAzureAccount>,
  options: { pageSize?: number; latencyMs?: number; port?: number } = {},
): Promise<FakeAzure> {
  const served = new ServedBytes();
  const faults: Fault[] = [];
  const pageSize = options.pageSize ?? 5000;
  const running = await listen(
    async (req, res) => {
      record(served, req);
      if (options.latencyMs)
        await new Promise(resolve => setTimeout(resolve, options.latencyMs));
      if (applyFault(faults, req, res)) return;
      const url = new URL(req.url ?? '/', 'http://azure');
      const [, accountName, containerName, ...blobParts] =
        url.pathname.split('/');
      const account = accounts[accountName];
      if (!account) {
        error(res, 400, 'InvalidUri', 'unknown storage account');
        return;
      }
      if (!req.headers['x-ms-version']) {
        error(res, 400, 'MissingRequiredHeader', 'x-ms-version');
        return;
      }
      const auth = authenticate(req, url, accountName, account);
      if (auth !== 200) {
        answerAuthFailure(res, auth);
        return;
      }
      const container = account.containers[containerName];
      if (!container) {
        error(res, 404, 'ContainerNotFound', 'no such container');
        return;
      }
      const blobName = decodeURIComponent(blobParts.join('/'));
      if (blobName === '') {
        if (
          url.searchParams.get('restype') !== 'container' ||
          url.searchParams.get('comp') !== 'list'
        ) {
          error(res, 400, 'InvalidQueryParameterValue', 'comp');
          return;
        }
        list(url, containerName, container, pageSize, res);
        return;
      }
      const object = container[blobName];
      if (!object) {
        error(res, 404, 'BlobNotFound', 'no such blob');
        return;
      }
      const etag = azureEtagOf(object);
      const ifMatch = req.headers['if-match'];
      if (ifMatch && ifMatch !== etag) {
        error(res, 412, 'ConditionNotMet', 'the ETag changed');
        return;
      }
      if (notModified(req, res, etag)) return;
      const msRange = req.headers['x-ms-range'];
      if (typeof msRange === 'string') req.headers.range = msRange;
      sendObject(req, res, object, served, {
        ETag: etag,
        'x-ms-blob-type': 'BlockBlob',
        'x-ms-version': String(req.headers['x-ms-version']),
      });
    },
    '127.0.0.1',
    options.port,
  );
  return Object.assign(running, { served, faults, accounts });
}

function authenticate(
  req: IncomingMessage,
  url: URL,
  accountName: string,
  account: FakeAzureAccount,
): 200 | 401 | 403 {
  const sig = url.searchParams.get('sig');
  const authorization = req.headers.authorization;
  if (sig !== null)
    return account.sasSignature && sig === account.sasSignature ? 200 : 403;
  if (!authorization) return 401;
  if (!account.key || !req.headers['x-ms-date']) return 403;
  const expected = `SharedKey ${accountName}:${createHmac(
    'sha256',
    Buffer.from(account.key, 'base64'),
  )
    .update(stringToSign(req, url, accountName))
    .digest('base64')}`;
  return authorization === expected ? 200 : 403;
}

const SIGNED_HEADERS = [
  'content-encoding',
  'content-language',
  'content-length',
  'content-md5',
  'content-type',
  'date',
  'if-modified-since',
  'if-match',
  'if-none-match',
  'if-unmodified-since',
  'range',
];

/** The server side of Shared Key, straight from the documentation's string-to-sign. */
function stringToSign(
  req: IncomingMessage,
  url: URL,
  accountName: string,
): string {
  const value = (name: string) => {
    const v = req.headers[name];
    if (name === 'content-length' && v === '0') return '';
    return typeof v === 'string' ? v : '';
  };
  const msHeaders = Object.keys(req.headers)
    .filter(name => name.startsWith('x-ms-'))
    .sort()
    .map(name => `${name}:${String(req.headers[name]).trim()}\n`)
    .join('');
  const names = [...new Set([...url.searchParams.keys()])].sort();
  const params = names
    .map(name => `\n${name}:${url.searchParams.getAll(name).sort().join(',')}`)
    .join('');
  return [
    req.method ?? 'GET',
    ...SIGNED_HEADERS.map(value),
    `${msHeaders}/${accountName}${url.pathname}${params}`,
  ].join('\n');
}

const xml = (value: string) =>
  value.replace(/[<>&'"]/g, c => `&#${c.charCodeAt(0)};`);

function list(
  url: URL,
  containerName: string,
  container: Record<string, VirtualObject>,
  pageSize: number,
  res: ServerResponse,
): void {
  const prefix = url.searchParams.get('prefix') ?? '';
  const names = Object.keys(container)
    .filter(name => name.startsWith(prefix))
    .sort();
  const marker = url.searchParams.get('marker') ?? '';
  const start = marker ? names.findIndex(name => name >= marker) : 0;
  const max = Math.min(
    pageSize,
    Number(url.searchParams.get('maxresults') ?? 5000),
  );
  const page = start < 0 ? [] : names.slice(start, start + max);
  const next = start >= 0 && start + page.length < names.length;
  res.writeHead(200, {
    'Content-Type': 'application/xml',
    'x-ms-version': '2021-08-06',
  });
  res.end(
    [
      '\uFEFF<?xml version="1.0" encoding="utf-8"?>',
      `<EnumerationResults ServiceEndpoint="http://127.0.0.1/" ContainerName="${xml(
        containerName,
      )}">`,
      `<Prefix>${xml(prefix)}</Prefix><Marker>${xml(
        marker,
      )}</Marker><MaxResults>${max}</MaxResults><Blobs>`,
      ...page.map(
        name =>
          `<Blob><Name>${xml(
            name,
          )}</Name><Properties><Last-Modified>Sun, 01 Nov 2026 00:00:00 GMT</Last-Modified><Etag>${xml(
            azureEtagOf(container[name]),
          )}</Etag><Content-Length>${
            container[name].size
          }</Content-Length><Content-Type>application/octet-stream</Content-Type><BlobType>BlockBlob</BlobType></Properties></Blob>`,
      ),
      '</Blobs>',
      next
        ? `<NextMarker>${xml(names[start + page.length])}</NextMarker>`
        : '<NextMarker />',
      '</EnumerationResults>',
    ].join(''),
  );
}

function answerAuthFailure(res: ServerResponse, status: 401 | 403): void {
  if (status === 401)
    error(res, 401, 'NoAuthenticationInformation', 'no credentials');
  else error(res, 403, 'AuthenticationFailed', 'signature mismatch');
}

function error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  res.writeHead(status, {
    'Content-Type': 'application/xml',
    'x-ms-error-code': code,
  });
  res.end(
    `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}
