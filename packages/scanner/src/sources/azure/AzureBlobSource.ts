import { RemoteByteSource, RemoteReadError } from '../../io/RemoteByteSource';
import {
  HttpClient,
  rangedBody,
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
import { parseListBlobs } from './listBlobs';
import { sharedKeyAuthorization } from './sharedKey';

/** The REST version every request names; List Blobs and ranged Get Blob behave as documented for it. */
const AZURE_STORAGE_VERSION = '2021-08-06';

/** @public */
export interface AzureAccountOptions {
  /** Shared Key (the base64 account key); every request is signed with it. */
  accountKey?: string;
  /** A SAS token (`sv=…&sig=…`, with or without `?`) appended to every request; instead of a key. */
  sasToken?: string;
  /**
   * Blob service endpoint. Default `https://<account>.blob.core.windows.net`; Azurite and other
   * emulators serve path-style, `http://127.0.0.1:10000/<account>`.
   */
  endpoint?: string;
}

/** @public */
export interface AzureBlobSourceOptions {
  /** Only the storage accounts named here can be read; each with its own credentials. */
  accounts: Record<string, AzureAccountOptions>;
  /** When set, only these containers may be read (in any configured account). */
  allowedContainers?: string[];
  maxObjects?: number;
  http?: Omit<HttpClientOptions, 'allowedHosts'>;
}

/** @public */
export interface AzureBlobRef {
  account: string;
  container: string;
  prefix: string;
}

const ACCOUNT = /^[a-z0-9]{3,24}$/;
const CONTAINER = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const PUBLIC_HOST = /^([a-z0-9]{3,24})\.blob\.core\.windows\.net$/;

/**
 * `az://<account>/<container>[/<prefix>]` or `https://<account>.blob.core.windows.net/<container>[/<prefix>]`.
 *
 * @public
 */
export function parseAzureBlobUri(uri: string): AzureBlobRef | undefined {
  let account: string;
  let path: string;
  if (uri.startsWith('az://')) {
    const match = /^az:\/\/([^/]+)\/(.*)$/.exec(uri);
    if (!match) return undefined;
    [, account, path] = match;
  } else if (uri.startsWith('https://')) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return undefined;
    }
    const host = PUBLIC_HOST.exec(url.hostname);
    if (!host || url.port || url.search || url.username) return undefined;
    account = host[1];
    try {
      path = decodeURIComponent(url.pathname.slice(1));
    } catch {
      return undefined;
    }
  } else return undefined;
  const slash = path.indexOf('/');
  const container = slash < 0 ? path : path.slice(0, slash);
  const prefix = slash < 0 ? '' : path.slice(slash + 1);
  if (!ACCOUNT.test(account) || !CONTAINER.test(container)) return undefined;
  return { account, container, prefix };
}

/**
 * True for an https URL on the public Blob service host (`<account>.blob.core.windows.net`).
 *
 * @public
 */
export function isAzureBlobUrl(uri: string): boolean {
  return uri.startsWith('https://') && parseAzureBlobUri(uri) !== undefined;
}

/**
 * An Azure Blob Storage prefix (or one blob): List Blobs (`restype=container&comp=list&prefix=`,
 * following `NextMarker`), then Get Blob with `x-ms-range` and `If-Match` on the listed ETag, so a
 * blob replaced during the scan fails its read (412). The digest hashes every (name, ETag, size).
 * Only accounts named in config are reachable, at their configured (or the public) endpoint; the
 * key or SAS token of an account is used for that account's host alone.
 *
 * @public
 */
export class AzureBlobSource implements RemoteSource {
  private readonly base: URL;
  private readonly account: AzureAccountOptions;
  private readonly http: HttpClient;
  private listing?: Promise<ListedObject[]>;

  constructor(
    private readonly ref: AzureBlobRef,
    private readonly transfer: TransferContext,
    private readonly options: AzureBlobSourceOptions,
  ) {
    const account = Object.hasOwn(options.accounts, ref.account)
      ? options.accounts[ref.account]
      : undefined;
    if (!account)
      throw new RemoteReadError(
        `storage account ${ref.account} is not configured (mlGovernance.sources.azure.accounts)`,
      );
    if (
      options.allowedContainers &&
      !options.allowedContainers.includes(ref.container)
    ) {
      throw new RemoteReadError(
        `container ${ref.container} is not in the configured allowedContainers`,
      );
    }
    this.account = account;
    this.base = new URL(
      (
        account.endpoint ?? `https://${ref.account}.blob.core.windows.net`
      ).replace(/\/+$/, ''),
    );
    this.http = new HttpClient({
      ...options.http,
      allowedHosts: [this.base.host],
    });
  }

  get uri(): string {
    return `az://${this.ref.account}/${this.ref.container}/${this.ref.prefix}`;
  }

  /** A listing cannot be pinned: the scan lists again and If-Match guards each blob it reads. */
  get pinnedUri(): string {
    return this.uri;
  }

  async digest(): Promise<string> {
    return this.digestOf(await this.list());
  }

  async open(): Promise<RemoteTree> {
    const objects = await this.list();
    return listedTree({
      kind: 'azure',
      uri: this.uri,
      prefix: this.ref.prefix,
      objects,
      digest: this.digestOf(objects),
      open: object => this.openBlob(object),
    });
  }

  private digestOf(objects: ListedObject[]): string {
    return listingDigest(
      `az:${this.ref.account}/${this.ref.container}/${this.ref.prefix}`,
      objects,
    );
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
    const seen = new Set<string>();
    let marker: string | undefined;
    do {
      const query: Record<string, string> = {
        restype: 'container',
        comp: 'list',
        prefix: this.ref.prefix,
        maxresults: '5000',
      };
      if (marker) query.marker = marker;
      const response = await this.request(this.containerPath(), query, {});
      if (response.status !== 200)
        throw new RemoteReadError(`${this.uri}: ${this.error(response)}`);
      let page;
      try {
        page = parseListBlobs(response.body.toString('utf8'));
      } catch (error) {
        throw new RemoteReadError(
          `${this.uri}: invalid List Blobs answer: ${(error as Error).message}`,
        );
      }
      for (const blob of page.blobs)
        listing.add({ key: blob.name, size: blob.size, version: blob.etag });
      marker = page.nextMarker;
      // A server repeating a marker would list forever.
      if (marker && seen.has(marker))
        throw new RemoteReadError(`${this.uri}: the listing repeats a page`);
      if (marker) seen.add(marker);
    } while (marker);
    return listing.done();
  }

  private openBlob(object: ListedObject): RemoteByteSource {
    const path = `${this.containerPath()}/${object.key
      .split('/')
      .map(encodeURIComponent)
      .join('/')}`;
    return new RemoteByteSource(
      object.size,
      async (offset, length) => {
        const response = await this.request(
          path,
          {},
          {
            'x-ms-range': `bytes=${offset}-${offset + length - 1}`,
            ...(object.version ? { 'If-Match': object.version } : {}),
          },
          length,
        );
        if (response.status !== 206 && response.status !== 200)
          throw new RemoteReadError(`${object.key}: ${this.error(response)}`);
        checkServedTotal(response, object.size, object.key);
        return rangedBody(response, offset, length);
      },
      this.transfer,
    );
  }

  private containerPath(): string {
    return `${this.base.pathname.replace(/\/+$/, '')}/${this.ref.container}`;
  }

  /** One signed (Shared Key) or SAS-authorised GET. */
  private request(
    path: string,
    query: Record<string, string>,
    extra: Record<string, string>,
    maxBodyBytes?: number,
  ): Promise<HttpResponse> {
    const url = new URL(this.base.origin);
    url.pathname = path;
    for (const [name, value] of Object.entries(query))
      url.searchParams.set(name, value);
    const sas = this.account.sasToken?.replace(/^\?/, '');
    if (sas && !this.account.accountKey)
      for (const [name, value] of new URLSearchParams(sas))
        url.searchParams.append(name, value);
    const headers: Record<string, string> = {
      'x-ms-version': AZURE_STORAGE_VERSION,
      'x-ms-date': new Date().toUTCString(),
      ...extra,
    };
    if (this.account.accountKey) {
      headers.Authorization = sharedKeyAuthorization(
        'GET',
        url,
        headers,
        this.ref.account,
        this.account.accountKey,
      );
    }
    return this.http.send({ url: url.toString(), headers, maxBodyBytes });
  }

  /** Names authentication (who) or authorisation (what) failures, from Azure's `x-ms-error-code`. */
  private error(response: HttpResponse): string {
    const code = String(response.headers['x-ms-error-code'] ?? '').slice(0, 80);
    const tag = code ? ` (${code})` : '';
    const credentials = credentialName(this.account);
    if (
      response.status === 401 ||
      code === 'AuthenticationFailed' ||
      code === 'NoAuthenticationInformation'
    ) {
      return credentials
        ? `HTTP ${response.status}${tag}: authentication failed: the configured ${credentials} of account ${this.ref.account} was rejected`
        : `HTTP ${response.status}${tag}: authentication required: no Shared Key or SAS token is configured for account ${this.ref.account}`;
    }
    if (response.status === 403)
      return `HTTP 403${tag}: authorisation refused: the configured credentials may not read container ${this.ref.container}`;
    if (response.status === 412)
      return `HTTP 412${tag}: the blob changed after it was listed`;
    if (response.status === 404)
      return `HTTP 404${tag}: no such container or blob`;
    return `HTTP ${response.status}${tag}`;
  }
}

function credentialName(account: AzureAccountOptions): string | undefined {
  if (account.accountKey) return 'Shared Key';
  return account.sasToken ? 'SAS token' : undefined;
}
