import { RemoteByteSource, RemoteReadError } from '../../io/RemoteByteSource';
import type { Component } from '../../model/component';
import {
  HttpClient,
  rangedBody,
  redact,
  type HttpClientOptions,
  type HttpResponse,
} from '../http/httpClient';
import type {
  RemoteFile,
  RemoteSource,
  RemoteTree,
  TransferContext,
} from '../types';
import { encodeRepoPath, type HubModelRef } from './uri';

/**
 * The Hugging Face Hub used when no endpoint is configured.
 *
 * @public
 */
export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';
/** Where the public Hub redirects file reads (LFS and Xet CDNs). Used only with the default endpoint. */
export const DEFAULT_HUB_CDN_HOSTS = ['*.huggingface.co', '*.hf.co'];

/**
 * Endpoint, token and limits of a {@link HuggingFaceSource}.
 *
 * @public
 */
export interface HuggingFaceSourceOptions {
  /** Hub origin, `HF_ENDPOINT` for the CLI. */
  endpoint?: string;
  /** Sent only to the endpoint's origin, never to the CDN a read is redirected to. */
  token?: string;
  /** Hosts reads may be redirected to; default: the public Hub's CDNs when the endpoint is the public Hub. */
  redirectHosts?: string[];
  http?: Omit<HttpClientOptions, 'allowedHosts'>;
}

interface HubModelInfo {
  sha?: unknown;
  siblings?: {
    rfilename?: unknown;
    size?: unknown;
    lfs?: { size?: unknown };
  }[];
  cardData?: {
    license?: unknown;
    license_name?: unknown;
    license_link?: unknown;
  };
}

const MAX_REDIRECTS = 5;

/**
 * A Hugging Face Hub model repository. The revision (branch, tag) is pinned to its commit SHA
 * first, so every file is read at the same commit and the SHA is the digest. Files are read by
 * `Range` through `/{repo}/resolve/{sha}/{path}`, following the Hub's redirect to its CDN with the
 * token dropped on the way (a signed CDN URL must not receive the user's Hub token).
 *
 * @public
 */
export class HuggingFaceSource implements RemoteSource {
  private readonly endpoint: string;
  private readonly http: HttpClient;
  private pinned?: string;

  constructor(
    private readonly ref: HubModelRef,
    private readonly transfer: TransferContext,
    private readonly options: HuggingFaceSourceOptions = {},
  ) {
    this.endpoint = new URL(options.endpoint ?? DEFAULT_HUB_ENDPOINT).origin;
    const redirectHosts =
      options.redirectHosts ??
      (this.endpoint === DEFAULT_HUB_ENDPOINT ? DEFAULT_HUB_CDN_HOSTS : []);
    this.http = new HttpClient({
      ...options.http,
      allowedHosts: [new URL(this.endpoint).host, ...redirectHosts],
    });
  }

  get uri(): string {
    return `hf://${this.ref.repo}@${this.ref.revision}`;
  }

  get pinnedUri(): string | undefined {
    return this.pinned && `hf://${this.ref.repo}@${this.pinned}`;
  }

  async digest(): Promise<string> {
    const info = await this.modelInfo(this.ref.revision, false);
    this.pinned = commitSha(info, this.ref.revision);
    return `hf:${this.ref.repo}@${this.pinned}`;
  }

  async open(): Promise<RemoteTree> {
    const sha =
      this.pinned ??
      commitSha(
        await this.modelInfo(this.ref.revision, false),
        this.ref.revision,
      );
    // Listing at the SHA, not the branch: a push between the two calls cannot mix two commits.
    const info = await this.modelInfo(sha, true);
    const problems: string[] = [];
    const files: RemoteFile[] = [];
    for (const sibling of info.siblings ?? []) {
      const path = sibling.rfilename;
      const size =
        typeof sibling.size === 'number' ? sibling.size : sibling.lfs?.size;
      if (
        typeof path !== 'string' ||
        typeof size !== 'number' ||
        !Number.isSafeInteger(size) ||
        size < 0
      ) {
        problems.push(
          `the Hub listed an entry without a usable name or size: ${JSON.stringify(
            sibling,
          ).slice(0, 200)}`,
        );
        continue;
      }
      if (path.split('/').some(part => part === '..' || part === '')) {
        problems.push(`the Hub listed an unsafe path ${JSON.stringify(path)}`);
        continue;
      }
      files.push({ path, size, open: () => this.openFile(sha, path, size) });
    }
    files.sort((a, b) => (a.path < b.path ? -1 : Number(a.path > b.path)));
    return {
      record: {
        kind: 'huggingface',
        uri: this.uri,
        pinnedUri: `hf://${this.ref.repo}@${sha}`,
        digest: `hf:${this.ref.repo}@${sha}`,
        revision: sha,
      },
      files,
      components: [this.modelComponent(sha, info)],
      problems,
    };
  }

  private modelComponent(sha: string, info: HubModelInfo): Component {
    const card = info.cardData ?? {};
    const declared = Array.isArray(card.license)
      ? card.license.filter(l => typeof l === 'string').join(' OR ')
      : card.license;
    let license =
      typeof declared === 'string' && declared ? declared : undefined;
    if (license === 'other' && typeof card.license_name === 'string') {
      license = `LicenseRef-${card.license_name.replace(
        /[^A-Za-z0-9.-]+/g,
        '-',
      )}`;
    }
    const properties: Record<string, string> = {
      source: 'huggingface-hub-api',
      revision: sha,
    };
    if (license) properties['license.declared'] = String(declared);
    if (typeof card.license_link === 'string')
      properties['license.link'] = card.license_link;
    return {
      type: 'machine-learning-model',
      name: this.ref.repo,
      version: sha,
      purl: `pkg:huggingface/${this.ref.repo}@${sha}`,
      // The Hub derives cardData from the card; the path names it so the finding points somewhere real.
      path: 'README.md',
      ...(license ? { license } : {}),
      properties,
    };
  }

  private async modelInfo(
    revision: string,
    blobs: boolean,
  ): Promise<HubModelInfo> {
    const url = `${this.endpoint}/api/models/${
      this.ref.repo
    }/revision/${encodeURIComponent(revision)}${blobs ? '?blobs=true' : ''}`;
    const response = await this.http.send({
      url,
      headers: this.authHeaders(url),
    });
    if (response.status === 200) {
      try {
        return JSON.parse(response.body.toString('utf8')) as HubModelInfo;
      } catch {
        throw new RemoteReadError(
          `${redact(url)}: the Hub answered with invalid JSON`,
        );
      }
    }
    throw new RemoteReadError(
      `${this.ref.repo}@${revision}: ${hubError(
        response,
        Boolean(this.options.token),
      )}`,
    );
  }

  private openFile(sha: string, path: string, size: number): RemoteByteSource {
    const resolveUrl = `${this.endpoint}/${
      this.ref.repo
    }/resolve/${sha}/${encodeRepoPath(path)}`;
    // The Hub redirects each read to a signed CDN URL; reusing it saves a round trip per range.
    let location: string | undefined;
    const fetchRange = async (
      offset: number,
      length: number,
    ): Promise<Uint8Array> => {
      for (let fresh = 0; fresh < 2; fresh++) {
        const { response, finalUrl } = await this.follow(
          location ?? resolveUrl,
          offset,
          length,
        );
        if ((response.status === 403 || response.status === 401) && location) {
          location = undefined; // the signed URL expired: resolve again once
          continue;
        }
        if (finalUrl !== resolveUrl) location = finalUrl;
        checkTotal(response, size, path);
        if (response.status !== 206 && response.status !== 200) {
          throw new RemoteReadError(
            `${path}: ${hubError(response, Boolean(this.options.token))}`,
          );
        }
        return rangedBody(response, offset, length);
      }
      throw new RemoteReadError(
        `${path}: the Hub's CDN refused a freshly resolved URL`,
      );
    };
    return new RemoteByteSource(size, fetchRange, this.transfer);
  }

  /** Follows redirects by hand: each hop is checked against the host policy; auth only on the Hub's origin. */
  private async follow(
    start: string,
    offset: number,
    length: number,
  ): Promise<{ response: HttpResponse; finalUrl: string }> {
    let url = start;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await this.http.send({
        url,
        headers: {
          ...this.authHeaders(url),
          Range: `bytes=${offset}-${offset + length - 1}`,
        },
        maxBodyBytes: length,
      });
      if (
        response.status < 300 ||
        response.status >= 400 ||
        response.status === 304
      )
        return { response, finalUrl: url };
      const next = response.headers.location;
      if (!next)
        throw new RemoteReadError(
          `${redact(url)}: redirect without a Location`,
        );
      // The next hop is checked against the host policy by the client before anything is sent.
      url = new URL(next, url).toString();
    }
    throw new RemoteReadError(
      `${redact(start)}: more than ${MAX_REDIRECTS} redirects`,
    );
  }

  private authHeaders(url: string): Record<string, string> {
    if (!this.options.token || new URL(url).origin !== this.endpoint) return {};
    return { Authorization: `Bearer ${this.options.token}` };
  }
}

function commitSha(info: HubModelInfo, revision: string): string {
  if (typeof info.sha !== 'string' || !/^[0-9a-f]{40}$/.test(info.sha)) {
    throw new RemoteReadError(
      `the Hub gave no commit SHA for revision ${revision}`,
    );
  }
  return info.sha;
}

function checkTotal(response: HttpResponse, size: number, path: string): void {
  const range = /\/(\d+)$/.exec(
    String(response.headers['content-range'] ?? ''),
  );
  if (response.status === 206 && range && Number(range[1]) !== size) {
    throw new RemoteReadError(
      `${path}: the Hub listed ${size} bytes but serves ${range[1]}`,
    );
  }
}

function hubError(response: HttpResponse, hasToken: boolean): string {
  const code = response.headers['x-error-code'];
  if (response.status === 401) {
    return hasToken
      ? 'HTTP 401: the token is not valid for this repository, or it does not exist'
      : 'HTTP 401: private or missing repository; configure a token (HF_TOKEN)';
  }
  if (response.status === 403) {
    return code === 'GatedRepo' || !hasToken
      ? 'HTTP 403: gated repository; accept its conditions on the Hub with the account whose token is configured'
      : 'HTTP 403: the token may not read this repository';
  }
  if (response.status === 404)
    return 'HTTP 404: no such repository, revision or file';
  return `HTTP ${response.status}${code ? ` (${String(code)})` : ''}`;
}
