import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { RemoteReadError } from '../../io/RemoteByteSource';
import {
  checkUrl,
  HostNotAllowedError,
  isPrivateAddress,
  type HostPolicy,
} from './hostPolicy';

/**
 * Timeouts, retries, size limits and allowed hosts of the HTTP client the remote sources use.
 *
 * @public
 */
export interface HttpClientOptions extends HostPolicy {
  /** Per attempt, from connect to the last body byte. */
  timeoutMs?: number;
  /** Further attempts after a 429, a 5xx, a reset or a timeout. */
  retries?: number;
  /** First backoff; doubles each attempt (with jitter). Retry-After wins when the server sends it. */
  retryBaseMs?: number;
  /** Longest wait between attempts, whatever Retry-After says. */
  maxRetryDelayMs?: number;
  /** Largest body accepted for API (non-range) answers. */
  maxBodyBytes?: number;
  /** Test seam: the clock used to sleep between attempts. */
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Stop reading after this many body bytes (a server that ignores Range must not make us download it all). */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** True when the body was cut at maxBodyBytes. */
  truncated: boolean;
  url: string;
}

export const HTTP_DEFAULTS = {
  timeoutMs: 30_000,
  retries: 4,
  retryBaseMs: 250,
  maxRetryDelayMs: 30_000,
  maxBodyBytes: 32 * 1024 * 1024,
} as const;

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Minimal HTTP client for remote sources: host policy checked before every request and inside the
 * DNS lookup, timeouts, bounded bodies, retries with backoff on 429/5xx honouring Retry-After.
 * Redirects are not followed here; each source follows them itself, because only it knows which
 * credentials belong to which host.
 */
export class HttpClient {
  private readonly options: Required<Omit<HttpClientOptions, 'allowedHosts'>> &
    HostPolicy;

  constructor(options: HttpClientOptions) {
    this.options = {
      ...HTTP_DEFAULTS,
      sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
      ...options,
    };
  }

  get allowedHosts(): readonly string[] {
    return this.options.allowedHosts;
  }

  /** Sends the request, retrying transient failures; any final status is returned, not thrown. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    let attempt = 0;
    for (;;) {
      let response: HttpResponse | undefined;
      let failure: Error | undefined;
      try {
        response = await this.once(request);
      } catch (error) {
        if (error instanceof HostNotAllowedError)
          throw new RemoteReadError(
            `${error.message} (${redact(request.url)})`,
          );
        failure = error as Error;
      }
      const retryable =
        failure !== undefined || RETRYABLE_STATUS.has(response!.status);
      if (!retryable) return response!;
      if (attempt >= this.options.retries) {
        if (response) return response;
        throw new RemoteReadError(
          `${request.method ?? 'GET'} ${redact(request.url)} failed after ${
            attempt + 1
          } attempts: ${failure!.message}`,
        );
      }
      attempt++;
      await this.options.sleep(this.delay(attempt, response));
    }
  }

  private delay(attempt: number, response: HttpResponse | undefined): number {
    const header = response?.headers['retry-after'];
    const retryAfter =
      typeof header === 'string'
        ? parseRetryAfter(header, Date.now())
        : undefined;
    const backoff =
      this.options.retryBaseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
    return Math.min(this.options.maxRetryDelayMs, retryAfter ?? backoff);
  }

  private once(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(request.url);
    const { allowPrivate } = checkUrl(this.options, url);
    const lookup: LookupFunction = (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 0);
        const list = addresses as LookupAddress[];
        const bad = list.find(
          entry => !allowPrivate && isPrivateAddress(entry.address),
        );
        if (bad) {
          return callback(
            new HostNotAllowedError(
              `${hostname} resolves to private address ${bad.address}`,
            ),
            '',
            0,
          );
        }
        if ((options as { all?: boolean }).all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(
            null,
            list,
          );
        return callback(null, list[0].address, list[0].family);
      });
    };
    const maxBody = request.maxBodyBytes ?? this.options.maxBodyBytes;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<HttpResponse>((resolve, reject) => {
      const req = send(
        url,
        {
          method: request.method ?? 'GET',
          headers: request.headers,
          lookup,
          timeout: this.options.timeoutMs,
        },
        res => {
          const chunks: Buffer[] = [];
          let received = 0;
          let truncated = false;
          let done = false;
          const finish = () => {
            if (done) return;
            done = true;
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
              truncated,
              url: request.url,
            });
          };
          res.on('data', (chunk: Buffer) => {
            if (done) return;
            if (received + chunk.length > maxBody) {
              chunks.push(chunk.subarray(0, maxBody - received));
              received = maxBody;
              truncated = true;
              finish();
              res.destroy();
              return;
            }
            chunks.push(chunk);
            received += chunk.length;
          });
          res.on('end', finish);
          res.on('error', error => (done ? undefined : reject(error)));
        },
      );
      const timer = setTimeout(
        () =>
          req.destroy(
            new Error(`timed out after ${this.options.timeoutMs} ms`),
          ),
        this.options.timeoutMs,
      );
      req.on('timeout', () =>
        req.destroy(new Error(`timed out after ${this.options.timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.on('close', () => clearTimeout(timer));
      req.end(request.body);
    });
  }
}

/** Retry-After as delta-seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(
  value: string,
  now: number,
): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A URL without its query (signed CDN URLs carry credentials there) for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return '<invalid url>';
  }
}

/** Parses a `Content-Range: bytes a-b/total` header. */
export function parseContentRange(
  value: string | undefined,
): { start: number; end: number; total?: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value ?? '');
  if (!match) return undefined;
  return {
    start: Number(match[1]),
    end: Number(match[2]),
    total: match[3] === '*' ? undefined : Number(match[3]),
  };
}

/**
 * Checks a ranged answer: 206 with the Content-Range asked for, or a 200 whose body starts at 0 (a
 * server that ignores Range; the client stopped reading at the length asked for).
 */
export function rangedBody(
  response: HttpResponse,
  offset: number,
  length: number,
): Uint8Array {
  if (response.status === 206) {
    const range = parseContentRange(
      response.headers['content-range'] as string | undefined,
    );
    if (!range || range.start !== offset) {
      throw new RemoteReadError(
        `${redact(response.url)}: answered range ${
          response.headers['content-range'] ?? 'none'
        }, asked for ${offset}`,
      );
    }
    return response.body.subarray(0, length);
  }
  if (response.status === 200 && offset === 0)
    return response.body.subarray(0, length);
  if (response.status === 200) {
    throw new RemoteReadError(
      `${redact(
        response.url,
      )} ignores Range requests; refusing to download the whole object`,
    );
  }
  throw new RemoteReadError(
    `${redact(response.url)}: HTTP ${response.status} for bytes ${offset}-${
      offset + length - 1
    }`,
  );
}
