import { RemoteByteSource, RemoteReadError } from '../../io/RemoteByteSource';
import {
  HttpClient,
  rangedBody,
  redact,
  type HttpClientOptions,
  type HttpResponse,
} from '../http/httpClient';
import {
  checkServedTotal,
  listingDigest,
  PrefixListing,
  listedTree,
  type ListedObject,
} from '../objectStore/prefixListing';
import type { RemoteSource, RemoteTree, TransferContext } from '../types';
import { ServiceAccountTokens } from './serviceAccount';

/** @public */
export const DEFAULT_GCS_ENDPOINT = 'https://storage.googleapis.com';

/** @public */
export interface GcsSourceOptions {
  /**
   * JSON API origin. Default `https://storage.googleapis.com`; the CLI takes `STORAGE_EMULATOR_HOST`
   * (`host:port` or a URL), the convention of Google's client libraries and fake-gcs-server.
   */
  endpoint?: string;
  /** OAuth 2.0 access token (`GOOGLE_OAUTH_ACCESS_TOKEN` for the CLI); without one, public buckets only. */
  token?: string;
  /**
   * A service-account key (the JSON of its key file), used when no token is given: access tokens are
   * minted from it at the key's `token_uri`, the one other host then contacted.
   */
  serviceAccountKey?: string;
  /** The same, as a path to the key file (`GOOGLE_APPLICATION_CREDENTIALS` for the CLI). */
  serviceAccountKeyFile?: string;
  /** When set, only these buckets may be read (targets come from catalog annotations). */
  allowedBuckets?: string[];
  /** Most objects listed under one prefix. */
  maxObjects?: number;
  http?: Omit<HttpClientOptions, 'allowedHosts'>;
}

/** @public */
export interface GcsRef {
  bucket: string;
  prefix: string;
}

/** GCS bucket names: 3–63 characters of lower-case letters, digits, `-`, `_` and `.`; no `..`. */
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

/** @public */
export function parseGcsUri(uri: string): GcsRef | undefined {
  const match = /^gs:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!match || !BUCKET.test(match[1]) || match[1].includes('..'))
    return undefined;
  return { bucket: match[1], prefix: match[2] ?? '' };
}

/** `STORAGE_EMULATOR_HOST` is `host:port` (no scheme) or a full URL; either way an http(s) origin. */
export function gcsEndpointFromEmulatorHost(value: string): string {
  return /^https?:\/\//.test(value) ? value : `http://${value}`;
}

interface ObjectsPage {
  items?: { name?: unknown; size?: unknown; generation?: unknown }[];
  nextPageToken?: unknown;
}

const DIGITS = /^\d{1,20}$/;

/**
 * A Google Cloud Storage prefix (or one object) through the JSON API: `objects.list` with `prefix`
 * and `pageToken`, then `alt=media` downloads with `Range`, each pinned to the listed `generation`,
 * so an object replaced during the scan fails the read (404) instead of mixing two versions. The
 * digest hashes every (name, generation, size): an unchanged prefix costs one listing, no object byte.
 * Only the configured endpoint's host is contacted; the token goes nowhere else.
 *
 * @public
 */
export class GcsSource implements RemoteSource {
  private readonly endpoint: string;
  private readonly http: HttpClient;
  private readonly serviceAccount?: ServiceAccountTokens;
  private listing?: Promise<ListedObject[]>;

  constructor(
    private readonly ref: GcsRef,
    private readonly transfer: TransferContext,
    private readonly options: GcsSourceOptions = {},
  ) {
    if (
      options.allowedBuckets &&
      !options.allowedBuckets.includes(ref.bucket)
    ) {
      throw new RemoteReadError(
        `bucket ${ref.bucket} is not in the configured allowedBuckets`,
      );
    }
    this.endpoint = new URL(options.endpoint ?? DEFAULT_GCS_ENDPOINT).origin;
    this.http = new HttpClient({
      ...options.http,
      allowedHosts: [new URL(this.endpoint).host],
    });
    if (!options.token && options.serviceAccountKey)
      this.serviceAccount = ServiceAccountTokens.fromJson(
        options.serviceAccountKey,
        options.http,
      );
    else if (!options.token && options.serviceAccountKeyFile)
      this.serviceAccount = ServiceAccountTokens.fromFile(
        options.serviceAccountKeyFile,
        options.http,
      );
  }

  get uri(): string {
    return `gs://${this.ref.bucket}/${this.ref.prefix}`;
  }

  /** A listing cannot be pinned: the scan lists again and reads each object at its listed generation. */
  get pinnedUri(): string {
    return this.uri;
  }

  async digest(): Promise<string> {
    return this.digestOf(await this.list());
  }

  async open(): Promise<RemoteTree> {
    const objects = await this.list();
    return listedTree({
      kind: 'gcs',
      uri: this.uri,
      prefix: this.ref.prefix,
      objects,
      digest: this.digestOf(objects),
      open: object => this.openObject(object),
    });
  }

  private digestOf(objects: ListedObject[]): string {
    return listingDigest(`gs:${this.ref.bucket}/${this.ref.prefix}`, objects);
  }

  private list(): Promise<ListedObject[]> {
    this.listing ??= this.listAll();
    return this.listing;
  }

  private async listAll(): Promise<ListedObject[]> {
    const listing = new PrefixListing(
      this.uri,
      this.ref.prefix,
      this.options.maxObjects,
    );
    const seenTokens = new Set<string>();
    let pageToken: string | undefined;
    do {
      const query = new URLSearchParams({
        prefix: this.ref.prefix,
        maxResults: '1000',
        fields: 'items(name,size,generation),nextPageToken',
      });
      if (pageToken) query.set('pageToken', pageToken);
      const url = `${this.bucketUrl()}/o?${query}`;
      const response = await this.http.send({
        url,
        headers: await this.auth(),
      });
      if (response.status !== 200)
        throw new RemoteReadError(`${this.uri}: ${this.error(response)}`);
      const page = parseJson(response, url);
      for (const item of page.items ?? []) {
        const { name, size, generation } = item;
        if (
          typeof name !== 'string' ||
          typeof size !== 'string' ||
          !DIGITS.test(size) ||
          typeof generation !== 'string' ||
          !DIGITS.test(generation)
        ) {
          throw new RemoteReadError(
            `${
              this.uri
            }: the listing holds an object without a usable name, size or generation: ${JSON.stringify(
              item,
            ).slice(0, 200)}`,
          );
        }
        listing.add({ key: name, size: Number(size), version: generation });
      }
      const next = page.nextPageToken;
      pageToken = typeof next === 'string' && next !== '' ? next : undefined;
      // A server repeating a page token would list forever.
      if (pageToken && seenTokens.has(pageToken))
        throw new RemoteReadError(`${this.uri}: the listing repeats a page`);
      if (pageToken) seenTokens.add(pageToken);
    } while (pageToken);
    return listing.done();
  }

  private openObject(object: ListedObject): RemoteByteSource {
    const url = `${this.bucketUrl()}/o/${encodeURIComponent(
      object.key,
    )}?alt=media&generation=${object.version}`;
    return new RemoteByteSource(
      object.size,
      async (offset, length) => {
        const response = await this.http.send({
          url,
          headers: {
            ...(await this.auth()),
            Range: `bytes=${offset}-${offset + length - 1}`,
          },
          maxBodyBytes: length,
        });
        if (response.status !== 206 && response.status !== 200) {
          throw new RemoteReadError(`${object.key}: ${this.error(response)}`);
        }
        checkServedTotal(response, object.size, object.key);
        return rangedBody(response, offset, length);
      },
      this.transfer,
    );
  }

  private bucketUrl(): string {
    return `${this.endpoint}/storage/v1/b/${encodeURIComponent(
      this.ref.bucket,
    )}`;
  }

  private async auth(): Promise<Record<string, string>> {
    const token = this.options.token ?? (await this.serviceAccount?.token());
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  /** Says whether authentication (who) or authorisation (what) failed, so the owner knows what to fix. */
  private error(response: HttpResponse): string {
    const detail = gcsMessage(response);
    if (response.status === 401 && this.serviceAccount)
      return `HTTP 401: authentication failed: the access token minted from the service-account key was rejected${detail}`;
    if (response.status === 401) {
      return this.options.token
        ? `HTTP 401: authentication failed: the configured access token was rejected (expired or invalid)${detail}`
        : `HTTP 401: authentication required: no access token is configured (GOOGLE_OAUTH_ACCESS_TOKEN, mlGovernance.sources.gcs.token)${detail}`;
    }
    if (response.status === 403)
      return `HTTP 403: authorisation refused: the configured credentials may not read bucket ${this.ref.bucket}${detail}`;
    if (response.status === 404)
      return `HTTP 404: no such bucket or object, or the object changed after it was listed${detail}`;
    return `HTTP ${response.status}${detail}`;
  }
}

function parseJson(response: HttpResponse, url: string): ObjectsPage {
  try {
    const value = JSON.parse(response.body.toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value))
      return value as ObjectsPage;
  } catch {
    // reported below
  }
  throw new RemoteReadError(
    `${redact(url)}: Cloud Storage answered with an invalid listing`,
  );
}

/** The JSON error's message, bounded and on one line (it may echo attacker-chosen names). */
function gcsMessage(response: HttpResponse): string {
  try {
    const body = JSON.parse(response.body.toString('utf8')) as {
      error?: { message?: unknown };
    };
    const message = body.error?.message;
    if (typeof message === 'string' && message)
      return ` (${message.replace(/\s+/g, ' ').slice(0, 200)})`;
  } catch {
    // not JSON: no detail
  }
  return '';
}
