import { RemoteByteSource, RemoteReadError } from '../../io/RemoteByteSource';
import {
  HttpClient,
  rangedBody,
  redact,
  type HttpClientOptions,
} from '../http/httpClient';
import { parseS3Uri, S3Source, type S3SourceOptions } from '../s3/S3Source';
import type {
  RemoteFile,
  RemoteSource,
  RemoteTree,
  TransferContext,
} from '../types';

/**
 * Tracking server, credentials and limits of an {@link MlflowSource}.
 *
 * @public
 */
export interface MlflowSourceOptions {
  /** Tracking server, `MLFLOW_TRACKING_URI` for the CLI. */
  trackingUri: string;
  /** `MLFLOW_TRACKING_TOKEN`; or basic auth with username/password. Sent to the tracking server only. */
  token?: string;
  username?: string;
  password?: string;
  /** For versions whose artifacts live in S3 (`s3://…` sources). */
  s3?: S3SourceOptions;
  maxFiles?: number;
  http?: Omit<HttpClientOptions, 'allowedHosts'>;
}

/**
 * A parsed `mlflow://` URI: a registered model version or a run's artifacts.
 *
 * @public
 */
export interface MlflowRef {
  name: string;
  /** A version number, a stage (Production, Staging, Archived, None), `latest`, or an alias. */
  selector: string;
}

const STAGES = new Map(
  ['production', 'staging', 'archived', 'none'].map(s => [
    s,
    s[0].toUpperCase() + s.slice(1),
  ]),
);

/**
 * Parses an `mlflow://` URI; undefined when it is not one.
 *
 * @public
 */
export function parseMlflowUri(uri: string): MlflowRef | undefined {
  const match = /^mlflow:\/\/([^/]+)\/([^/]+)$/.exec(uri);
  if (!match) return undefined;
  let name: string;
  let selector: string;
  try {
    name = decodeURIComponent(match[1]);
    selector = decodeURIComponent(match[2]);
  } catch {
    return undefined;
  }
  if (
    name.length > 256 ||
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    /[\u0000-\u001f]/.test(name) ||
    !/^[A-Za-z0-9._@-]{1,256}$/.test(selector)
  )
    return undefined;
  return { name, selector: selector.replace(/^@/, '') };
}

interface ModelVersion {
  version?: unknown;
  run_id?: unknown;
  source?: unknown;
}

/**
 * A version of a model in an MLflow Model Registry. The selector (stage, alias, `latest`) is
 * resolved to a version number through the REST API; versions are immutable, so (name, version,
 * run) is the digest. The version's artifacts are read where `get-download-uri` says they live:
 * through the tracking server's artifact proxy (`mlflow-artifacts:`), or from S3 (`s3://`) with the
 * S3 source. Any other location (file:, http:, dbfs:…) is refused: a registry entry must not make
 * the scanner read local files or arbitrary hosts.
 *
 * @public
 */
export class MlflowSource implements RemoteSource {
  private readonly tracking: URL;
  private readonly http: HttpClient;
  private resolved?: Promise<{ version: string; runId: string }>;
  private version?: string;

  constructor(
    private readonly ref: MlflowRef,
    private readonly transfer: TransferContext,
    private readonly options: MlflowSourceOptions,
  ) {
    this.tracking = new URL(options.trackingUri.replace(/\/+$/, ''));
    this.http = new HttpClient({
      ...options.http,
      allowedHosts: [this.tracking.host],
    });
  }

  get uri(): string {
    return `mlflow://${encodeURIComponent(this.ref.name)}/${this.ref.selector}`;
  }

  get pinnedUri(): string | undefined {
    return (
      this.version &&
      `mlflow://${encodeURIComponent(this.ref.name)}/${this.version}`
    );
  }

  async digest(): Promise<string> {
    const { version, runId } = await this.resolve();
    this.version = version;
    return `mlflow:${this.ref.name}/${version}:${runId}`;
  }

  async open(): Promise<RemoteTree> {
    const { version, runId } = await this.resolve();
    const download = await this.api<{ artifact_uri?: unknown }>(
      'GET',
      `model-versions/get-download-uri?name=${encodeURIComponent(
        this.ref.name,
      )}&version=${encodeURIComponent(version)}`,
    );
    const artifactUri =
      typeof download.artifact_uri === 'string' ? download.artifact_uri : '';
    const record = {
      kind: 'mlflow',
      uri: this.uri,
      pinnedUri: `mlflow://${encodeURIComponent(this.ref.name)}/${version}`,
      digest: `mlflow:${this.ref.name}/${version}:${runId}`,
      revision: version,
      runId,
      artifactUri,
    };
    if (artifactUri.startsWith('mlflow-artifacts:')) {
      const { files, problems } = await this.listProxied(
        proxiedPath(artifactUri, this.tracking),
      );
      return { record, files, components: [], problems };
    }
    const s3 = parseS3Uri(artifactUri);
    if (s3) {
      const tree = await new S3Source(
        s3,
        this.transfer,
        this.options.s3,
      ).open();
      return { ...tree, record: { ...record, artifactUri } };
    }
    throw new RemoteReadError(
      `version ${version} of ${this.ref.name} stores its artifacts at ${
        redact(artifactUri) === '<invalid url>'
          ? artifactUri.slice(0, 100)
          : redact(artifactUri)
      }; only mlflow-artifacts: and s3:// locations are read`,
    );
  }

  private resolve(): Promise<{ version: string; runId: string }> {
    this.resolved ??= this.resolveOnce();
    return this.resolved;
  }

  private async resolveOnce(): Promise<{ version: string; runId: string }> {
    const name = encodeURIComponent(this.ref.name);
    const selector = this.ref.selector;
    let found: ModelVersion | undefined;
    if (/^\d+$/.test(selector)) {
      found = (
        await this.api<{ model_version?: ModelVersion }>(
          'GET',
          `model-versions/get?name=${name}&version=${selector}`,
        )
      ).model_version;
    } else if (
      STAGES.has(selector.toLowerCase()) ||
      selector.toLowerCase() === 'latest'
    ) {
      const stage = STAGES.get(selector.toLowerCase());
      const answer = await this.api<{ model_versions?: ModelVersion[] }>(
        'POST',
        'registered-models/get-latest-versions',
        JSON.stringify({
          name: this.ref.name,
          ...(stage ? { stages: [stage] } : {}),
        }),
      );
      found = (answer.model_versions ?? [])
        .filter(
          each =>
            typeof each.version === 'string' ||
            typeof each.version === 'number',
        )
        .sort((a, b) => Number(b.version) - Number(a.version))[0];
    } else {
      found = (
        await this.api<{ model_version?: ModelVersion }>(
          'GET',
          `registered-models/alias?name=${name}&alias=${encodeURIComponent(
            selector,
          )}`,
        )
      ).model_version;
    }
    const version = found?.version === undefined ? '' : String(found.version);
    if (!/^\d+$/.test(version))
      throw new RemoteReadError(
        `${this.uri}: the registry has no version for '${selector}'`,
      );
    return {
      version,
      runId: typeof found?.run_id === 'string' ? found.run_id : '',
    };
  }

  private async api<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
  ): Promise<T> {
    const url = `${this.tracking.origin}${this.tracking.pathname.replace(
      /\/$/,
      '',
    )}/api/2.0/mlflow/${path}`;
    const response = await this.http.send({
      url,
      method,
      body,
      headers: {
        ...this.authHeaders(),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
    });
    if (response.status !== 200) {
      let detail = '';
      try {
        detail = String(
          (
            JSON.parse(response.body.toString('utf8')) as {
              error_code?: unknown;
            }
          ).error_code ?? '',
        );
      } catch {
        // not JSON: the status says enough
      }
      throw new RemoteReadError(
        `${this.uri}: ${method} ${redact(url)} answered HTTP ${
          response.status
        }${detail ? ` ${detail}` : ''}`,
      );
    }
    try {
      return JSON.parse(response.body.toString('utf8')) as T;
    } catch {
      throw new RemoteReadError(`${redact(url)}: invalid JSON`);
    }
  }

  /** Walks the artifact proxy's listing (one request per folder), breadth first, capped. */
  private async listProxied(
    root: string,
  ): Promise<{ files: RemoteFile[]; problems: string[] }> {
    const max = this.options.maxFiles ?? 100_000;
    const files: RemoteFile[] = [];
    const problems: string[] = [];
    const folders: string[] = [''];
    let requests = 0;
    while (folders.length > 0) {
      const folder = folders.shift()!;
      if (++requests > 10_000)
        throw new RemoteReadError(
          `${this.uri}: more than 10000 artifact folders`,
        );
      const path = [root, folder].filter(Boolean).join('/');
      const url = `${this.artifactsBase()}?path=${encodeURIComponent(path)}`;
      const response = await this.http.send({
        url,
        headers: this.authHeaders(),
      });
      if (response.status !== 200)
        throw new RemoteReadError(
          `${this.uri}: listing ${path} answered HTTP ${response.status}`,
        );
      let listing: {
        files?: { path?: unknown; is_dir?: unknown; file_size?: unknown }[];
      };
      try {
        listing = JSON.parse(response.body.toString('utf8'));
      } catch {
        throw new RemoteReadError(`${this.uri}: listing ${path} is not JSON`);
      }
      for (const entry of listing.files ?? []) {
        const name =
          typeof entry.path === 'string' ? entry.path.split('/').pop()! : '';
        const relative = [folder, name].filter(Boolean).join('/');
        if (!name || name === '.' || name === '..') {
          problems.push(`unsafe artifact name ${JSON.stringify(entry.path)}`);
          continue;
        }
        if (entry.is_dir === true) {
          folders.push(relative);
          continue;
        }
        const size = Number(entry.file_size);
        if (!Number.isSafeInteger(size) || size < 0) {
          problems.push(`artifact ${relative} has no usable size`);
          continue;
        }
        if (files.length >= max)
          throw new RemoteReadError(`${this.uri}: more than ${max} artifacts`);
        const filePath = `${root}/${relative}`;
        files.push({
          path: relative,
          size,
          open: () => this.openProxied(filePath, size),
        });
      }
    }
    files.sort((a, b) => (a.path < b.path ? -1 : Number(a.path > b.path)));
    return { files, problems };
  }

  private openProxied(path: string, size: number): RemoteByteSource {
    const url = `${this.artifactsBase()}/${path
      .split('/')
      .map(encodeURIComponent)
      .join('/')}`;
    return new RemoteByteSource(
      size,
      async (offset, length) => {
        const response = await this.http.send({
          url,
          headers: {
            ...this.authHeaders(),
            Range: `bytes=${offset}-${offset + length - 1}`,
          },
          maxBodyBytes: length,
        });
        return rangedBody(response, offset, length);
      },
      this.transfer,
    );
  }

  private artifactsBase(): string {
    return `${this.tracking.origin}${this.tracking.pathname.replace(
      /\/$/,
      '',
    )}/api/2.0/mlflow-artifacts/artifacts`;
  }

  private authHeaders(): Record<string, string> {
    if (this.options.token)
      return { Authorization: `Bearer ${this.options.token}` };
    if (this.options.username !== undefined) {
      const basic = Buffer.from(
        `${this.options.username}:${this.options.password ?? ''}`,
      ).toString('base64');
      return { Authorization: `Basic ${basic}` };
    }
    return {};
  }
}

/**
 * The artifact path inside the proxy for `mlflow-artifacts:/<path>` or `mlflow-artifacts://<host>/<path>`.
 * A host other than the tracking server's is refused: the proxy we are configured for is the only one.
 */
function proxiedPath(artifactUri: string, tracking: URL): string {
  const rest = artifactUri.slice('mlflow-artifacts:'.length);
  let path = rest;
  if (rest.startsWith('//')) {
    const url = new URL(`http:${rest}`);
    if (url.host && url.host !== tracking.host) {
      throw new RemoteReadError(
        `artifact proxy ${url.host} is not the configured tracking server ${tracking.host}`,
      );
    }
    path = url.pathname;
  }
  const clean = decodeURIComponent(path).replace(/^\/+|\/+$/g, '');
  if (clean.split('/').some(part => part === '..'))
    throw new RemoteReadError(`unsafe artifact path ${clean}`);
  return clean;
}
