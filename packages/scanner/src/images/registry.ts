/**
 * Reads an image from a registry over the OCI distribution API: `GET /v2/<repo>/manifests/<ref>`
 * (Accept: OCI and Docker v2 manifests and indexes) and `/blobs/<digest>`, with Bearer token auth
 * from the WWW-Authenticate challenge or Basic auth, credentials from the Docker config file.
 * Everything fetched is digest-verified by the caller and bounded here.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { bounded, coalesced, verified } from './byteStreams';
import { verifyDigest, type ImageStore } from './imageStore';
import { ImageReadError, type ImageLimits } from './limits';

/** @public */
export interface RegistryReference {
  host: string;
  repository: string;
  /** A tag or `sha256:…` digest. */
  reference: string;
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** @public */
export function parseRegistryReference(
  uri: string,
): RegistryReference | undefined {
  const match =
    /^oci:\/\/([a-z0-9.-]+(?::\d+)?)\/([a-z0-9._/-]+?)(?:@(sha256:[a-f0-9]{64})|:([\w][\w.-]{0,127}))?$/.exec(
      uri,
    );
  if (
    !match ||
    match[2]
      .split('/')
      .some(part => part === '' || part === '.' || part === '..')
  )
    return undefined;
  return {
    host: match[1],
    repository: match[2],
    reference: match[3] ?? match[4] ?? 'latest',
  };
}

export interface Credentials {
  username: string;
  password: string;
}

/** `auths[host].auth` (base64 user:pass) or username/password from `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. */
export async function dockerConfigCredentials(
  host: string,
  env: Record<string, string | undefined>,
): Promise<Credentials | undefined> {
  const file = join(
    env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker'),
    'config.json',
  );
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  let config: any;
  try {
    config = JSON.parse(text);
  } catch {
    return undefined;
  }
  const auths = config?.auths ?? {};
  const entry =
    auths[host] ?? auths[`https://${host}`] ?? auths[`http://${host}`];
  if (typeof entry?.auth === 'string') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0)
      return {
        username: decoded.slice(0, colon),
        password: decoded.slice(colon + 1),
      };
  }
  if (
    typeof entry?.username === 'string' &&
    typeof entry?.password === 'string'
  )
    return { username: entry.username, password: entry.password };
  return undefined;
}

export interface RegistryOptions {
  fetch?: typeof fetch;
  credentials?: Credentials;
  /** Plain HTTP (a local test registry). Loopback hosts use it by default. */
  insecure?: boolean;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (and `Basic realm=…`). */
export function parseChallenge(header: string): {
  scheme: string;
  params: Record<string, string>;
} {
  const space = header.indexOf(' ');
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header
    .slice(space + 1)
    .matchAll(/([a-zA-Z_]+)="([^"]*)"/g))
    params[match[1]] = match[2];
  return { scheme, params };
}

async function readBounded(
  response: Response,
  limit: number,
  what: string,
): Promise<Uint8Array> {
  const length = Number(response.headers.get('content-length') ?? NaN);
  if (length > limit)
    throw new ImageReadError(
      `${what} is ${length} bytes, larger than the limit (${limit})`,
    );
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new ImageReadError(`${what} is larger than the limit (${limit})`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export interface RegistryStore extends ImageStore {
  requests: number;
  readonly host: string;
  readonly repository: string;
  /** A manifest by tag or digest (verified), or undefined when the registry has none (404). */
  manifestIfPresent(
    reference: string,
  ): Promise<{ digest: string; bytes: Uint8Array } | undefined>;
}

export function registryStore(
  ref: RegistryReference,
  limits: ImageLimits,
  options: RegistryOptions = {},
): RegistryStore {
  const doFetch = options.fetch ?? fetch;
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(ref.host);
  const base = `${options.insecure || loopback ? 'http' : 'https'}://${
    ref.host
  }/v2/`;
  const manifestDigests = new Set<string>();
  const manifests = new Map<string, Uint8Array>();
  let authorization: string | undefined;
  const counters = { requests: 0, bytesRead: 0 };
  let resolved: string | undefined;

  async function* countedBody(body: AsyncIterable<Uint8Array>) {
    for await (const chunk of body) {
      counters.bytesRead += chunk.length;
      yield chunk;
    }
  }

  async function request(
    url: string,
    accept?: string,
    allowMissing = false,
  ): Promise<Response | undefined> {
    const attempt = () =>
      doFetch(url, {
        headers: {
          ...(accept ? { accept } : {}),
          ...(authorization ? { authorization } : {}),
        },
        redirect: 'follow',
      });
    counters.requests++;
    let response = await attempt();
    if (response.status === 401 && !authorization) {
      const challenge = parseChallenge(
        response.headers.get('www-authenticate') ?? '',
      );
      await response.body?.cancel();
      authorization = await authorise(challenge);
      counters.requests++;
      response = await attempt();
    }
    if (!response.ok) {
      await response.body?.cancel();
      if (allowMissing && response.status === 404) return undefined;
      throw new ImageReadError(
        `${url.replace(base, '')}: registry answered ${response.status}`,
      );
    }
    return response;
  }

  async function authorise(challenge: {
    scheme: string;
    params: Record<string, string>;
  }): Promise<string> {
    const basic = options.credentials
      ? `Basic ${Buffer.from(
          `${options.credentials.username}:${options.credentials.password}`,
        ).toString('base64')}`
      : undefined;
    if (challenge.scheme === 'basic') {
      if (!basic)
        throw new ImageReadError(
          `${ref.host} requires credentials (none in the Docker config)`,
        );
      return basic;
    }
    if (challenge.scheme !== 'bearer' || !challenge.params.realm)
      throw new ImageReadError(`${ref.host}: unsupported auth challenge`);
    const realm = new URL(challenge.params.realm);
    if (realm.protocol !== 'https:' && !(options.insecure || loopback))
      throw new ImageReadError('token realm is not https');
    if (challenge.params.service)
      realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set(
      'scope',
      challenge.params.scope ?? `repository:${ref.repository}:pull`,
    );
    counters.requests++;
    const response = await doFetch(realm, {
      headers: basic ? { authorization: basic } : {},
    });
    if (!response.ok)
      throw new ImageReadError(`token endpoint answered ${response.status}`);
    const body = JSON.parse(
      Buffer.from(
        await readBounded(response, limits.maxJsonBytes, 'token'),
      ).toString('utf8'),
    );
    const token = body.token ?? body.access_token;
    if (typeof token !== 'string')
      throw new ImageReadError('token endpoint returned no token');
    return `Bearer ${token}`;
  }

  async function fetchManifest(
    reference: string,
  ): Promise<{ digest: string; bytes: Uint8Array }> {
    const found = await fetchManifestIfPresent(reference, false);
    return found!;
  }

  async function fetchManifestIfPresent(
    reference: string,
    allowMissing: boolean,
  ): Promise<{ digest: string; bytes: Uint8Array } | undefined> {
    const response = await request(
      `${base}${ref.repository}/manifests/${reference}`,
      MANIFEST_ACCEPT,
      allowMissing,
    );
    if (!response) return undefined;
    const bytes = await readBounded(
      response,
      limits.maxJsonBytes,
      `manifest ${reference}`,
    );
    counters.bytesRead += bytes.length;
    const digest = reference.startsWith('sha256:')
      ? reference
      : response.headers.get('docker-content-digest') ?? '';
    // A tag is only as good as the digest of the bytes we got; the header is checked, not trusted.
    const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (digest && digest !== actual)
      throw new ImageReadError(
        `manifest ${reference} does not match its digest ${digest}`,
      );
    remember(actual, bytes);
    return { digest: actual, bytes };
  }

  function remember(digest: string, bytes: Uint8Array) {
    manifests.set(digest, bytes);
    try {
      const document = JSON.parse(Buffer.from(bytes).toString('utf8'));
      for (const child of document?.manifests ?? [])
        if (typeof child?.digest === 'string')
          manifestDigests.add(child.digest);
    } catch {
      // resolveImages reports the unparsable manifest.
    }
  }

  const store: RegistryStore = {
    host: ref.host,
    repository: ref.repository,
    manifestIfPresent: reference => fetchManifestIfPresent(reference, true),
    get bytesRead() {
      return counters.bytesRead;
    },
    get requests() {
      return counters.requests;
    },
    get resolvedDigest() {
      return resolved;
    },
    async topFile(name) {
      if (name !== 'index.json') return undefined;
      const top = await fetchManifest(ref.reference);
      resolved = top.digest;
      let mediaType = 'application/vnd.oci.image.manifest.v1+json';
      try {
        mediaType =
          JSON.parse(Buffer.from(top.bytes).toString('utf8')).mediaType ??
          mediaType;
      } catch {
        // reported when parsed as a manifest
      }
      return Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          manifests: [
            { mediaType, digest: top.digest, size: top.bytes.length },
          ],
        }),
      );
    },
    async path() {
      return undefined;
    },
    async pathStream() {
      return undefined;
    },
    async blobStream(digest) {
      if (manifests.has(digest) || manifestDigests.has(digest))
        return (async function* manifestBytes() {
          yield await store.blob(digest);
        })();
      const response = (await request(
        `${base}${ref.repository}/blobs/${digest}`,
      ))!;
      const length = Number(response.headers.get('content-length') ?? NaN);
      if (length > limits.maxBlobBytes) {
        await response.body?.cancel();
        throw new ImageReadError(
          `blob ${digest} is ${length} bytes, larger than the limit (${limits.maxBlobBytes})`,
        );
      }
      const body = (response.body ??
        (async function* none() {})()) as AsyncIterable<Uint8Array>;
      return verified(
        bounded(
          coalesced(countedBody(body), 1024 * 1024),
          limits.maxBlobBytes,
          `blob ${digest}`,
        ),
        digest,
      );
    },
    async blob(digest) {
      const known = manifests.get(digest);
      if (known) return known;
      if (manifestDigests.has(digest))
        return (await fetchManifest(digest)).bytes;
      const response = (await request(
        `${base}${ref.repository}/blobs/${digest}`,
      ))!;
      const bytes = await readBounded(
        response,
        limits.maxBlobBytes,
        `blob ${digest}`,
      );
      counters.bytesRead += bytes.length;
      verifyDigest(digest, bytes);
      return bytes;
    },
  };
  return store;
}
