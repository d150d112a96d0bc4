import { createVerify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

export interface FakeGcs extends RunningServer {
  served: ServedBytes;
  faults: Fault[];
  /** Replace or add objects while running (a new generation between listing and read). */
  buckets: Record<string, Record<string, VirtualObject>>;
}

export interface FakeGcsOptions {
  /** The one access token accepted; other or missing tokens get 401 as Cloud Storage answers. */
  token?: string;
  /** Buckets the token may not read: 403. */
  forbiddenBuckets?: string[];
  /** Items per listing page. */
  pageSize?: number;
  /**
   * Also an OAuth token endpoint at `POST /token`: a JWT-bearer assertion signed by this service
   * account's key (checked against `publicKey`, `iss`, `aud`, `exp`) gets `token`.
   */
  serviceAccount?: { clientEmail: string; publicKey: string };
  /** Added before every answer, to stand in for a network round trip. */
  latencyMs?: number;
  port?: number;
}

/** A generation number derived from the content, so replacing an object changes it. */
export function generationOf(object: VirtualObject): string {
  return String(parseInt(object.etag.replace(/"/g, '').slice(0, 12), 16));
}

/**
 * A Google Cloud Storage JSON API stand-in on 127.0.0.1 (as fake-gcs-server, reached through
 * `STORAGE_EMULATOR_HOST`): `GET /storage/v1/b/{bucket}/o?prefix=&pageToken=&maxResults=` and
 * `GET /storage/v1/b/{bucket}/o/{object}?alt=media[&generation=]` with Range (206/416), ETag and
 * If-None-Match (304); a stale `generation` is 404. A missing or wrong bearer token is 401 and a
 * forbidden bucket 403, with Cloud Storage's JSON error bodies.
 */
export async function startFakeGcs(
  buckets: Record<string, Record<string, VirtualObject>>,
  options: FakeGcsOptions = {},
): Promise<FakeGcs> {
  const served = new ServedBytes();
  const faults: Fault[] = [];
  const token = options.token ?? 'ya29.test-token';
  const pageSize = options.pageSize ?? 1000;
  const running = await listen(
    async (req, res) => {
      record(served, req);
      if (options.latencyMs)
        await new Promise(resolve => setTimeout(resolve, options.latencyMs));
      if (applyFault(faults, req, res)) return;
      const url = new URL(req.url ?? '/', 'http://gcs');
      if (url.pathname === '/token' && req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req));
        const granted = grant(form, options.serviceAccount, running.origin);
        res.writeHead(granted ? 200 : 400, {
          'Content-Type': 'application/json',
        });
        res.end(
          JSON.stringify(
            granted
              ? { access_token: token, expires_in: 3599, token_type: 'Bearer' }
              : { error: 'invalid_grant', error_description: 'Invalid JWT' },
          ),
        );
        return;
      }
      const match = /^\/storage\/v1\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(
        url.pathname,
      );
      if (!match) {
        jsonError(res, 404, 'Not Found');
        return;
      }
      if (req.headers.authorization !== `Bearer ${token}`) {
        jsonError(res, 401, 'Invalid Credentials');
        return;
      }
      const bucketName = decodeURIComponent(match[1]);
      if (options.forbiddenBuckets?.includes(bucketName)) {
        jsonError(res, 403, 'caller does not have storage.objects.list access');
        return;
      }
      const bucket = buckets[bucketName];
      if (!bucket) {
        jsonError(res, 404, 'The specified bucket does not exist.');
        return;
      }
      if (match[2] === undefined) {
        list(url, bucket, pageSize, res);
        return;
      }
      const object = bucket[decodeURIComponent(match[2])];
      const generation = url.searchParams.get('generation');
      if (!object || (generation && generation !== generationOf(object))) {
        jsonError(res, 404, 'No such object');
        return;
      }
      if (url.searchParams.get('alt') !== 'media') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(resource(decodeURIComponent(match[2]), object)));
        return;
      }
      if (notModified(req, res, object.etag)) return;
      sendObject(req, res, object, served, {
        'x-goog-generation': generationOf(object),
      });
    },
    '127.0.0.1',
    options.port,
  );
  return Object.assign(running, { served, faults, buckets });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', chunk => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** The JWT-bearer grant as Google's token endpoint checks it: signature, issuer, audience, lifetime. */
function grant(
  form: URLSearchParams,
  account: FakeGcsOptions['serviceAccount'],
  origin: string,
): boolean {
  const assertion = form.get('assertion') ?? '';
  const [header, payload, signature] = assertion.split('.');
  if (
    !account ||
    form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' ||
    !signature
  )
    return false;
  const valid = createVerify('RSA-SHA256')
    .update(`${header}.${payload}`)
    .verify(account.publicKey, Buffer.from(signature, 'base64url'));
  if (!valid) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
    iss?: string;
    aud?: string;
    exp?: number;
    scope?: string;
  };
  const now = Date.now() / 1000;
  return (
    claims.iss === account.clientEmail &&
    claims.aud === `${origin}/token` &&
    typeof claims.exp === 'number' &&
    claims.exp > now &&
    claims.exp - now <= 3600 &&
    typeof claims.scope === 'string' &&
    claims.scope.includes('devstorage')
  );
}

function list(
  url: URL,
  bucket: Record<string, VirtualObject>,
  pageSize: number,
  res: ServerResponse,
): void {
  const prefix = url.searchParams.get('prefix') ?? '';
  const names = Object.keys(bucket)
    .filter(name => name.startsWith(prefix))
    .sort();
  const start = Number(url.searchParams.get('pageToken') ?? '0');
  const max = Math.min(
    pageSize,
    Number(url.searchParams.get('maxResults') ?? 1000),
  );
  const page = names.slice(start, start + max);
  const next = start + page.length < names.length;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(
    JSON.stringify({
      kind: 'storage#objects',
      items: page.map(name => resource(name, bucket[name])),
      ...(next ? { nextPageToken: String(start + page.length) } : {}),
    }),
  );
}

function resource(name: string, object: VirtualObject) {
  return {
    kind: 'storage#object',
    name,
    size: String(object.size),
    generation: generationOf(object),
    etag: object.etag.replace(/"/g, ''),
  };
}

/** `If-None-Match` with the current ETag: 304 and no body, as a conditional GET gets. */
export function notModified(
  req: IncomingMessage,
  res: ServerResponse,
  etag: string,
): boolean {
  if (req.headers['if-none-match'] !== etag) return false;
  res.writeHead(304, { ETag: etag });
  res.end();
  return true;
}

function jsonError(res: ServerResponse, code: number, message: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message, errors: [{ message }] } }));
}
