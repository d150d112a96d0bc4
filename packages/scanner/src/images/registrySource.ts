/**
 * Registry images as the portal reads them (`ml-governance.io/image`): only registries named in
 * configuration are contacted, with their credentials from configuration (never from the catalog),
 * through the host policy (policyFetch.ts). A tag is resolved to the manifest digest first, so what
 * is scanned and recorded is one immutable digest.
 */
import type { Scanner } from '../engine/Scanner';
import type { ScanResult } from '../model/finding';
import type { ImageSignatureOptions } from './cosign';
import {
  DEFAULT_IMAGE_LIMITS,
  ImageReadError,
  type ImageLimits,
} from './limits';
import { hostPolicyFetch } from './policyFetch';
import {
  parseRegistryReference,
  registryStore,
  type RegistryReference,
  type RegistryStore,
} from './registry';
import { scanImage, type ImageScanOptions } from './scanImage';

/** @public */
export interface ImageRegistryConfig {
  /** `registry.example.com` or `host:port`, as it appears in image references. */
  host: string;
  username?: string;
  password?: string;
  /** Plain HTTP (a registry on a private network without TLS). Loopback hosts use it anyway. */
  insecure?: boolean;
  /** Token realms and blob-storage hosts the registry sends us to (exact or `*.suffix`; public addresses only). */
  additionalHosts?: string[];
  timeoutMs?: number;
  /** Cosign signature check on every image of this registry. */
  signatures?: ImageSignatureOptions;
}

/**
 * `oci://host/repo:tag|@sha256:…`, or the same without the scheme as Docker writes it.
 *
 * @public
 */
export function imageReferenceUri(value: string): string {
  return value.startsWith('oci://') ? value : `oci://${value}`;
}

function configured(
  uri: string,
  registries: readonly ImageRegistryConfig[],
): { ref: RegistryReference; registry: ImageRegistryConfig } {
  const ref = parseRegistryReference(uri);
  if (!ref)
    throw new ImageReadError(
      `${uri.slice(
        0,
        200,
      )} is not an image reference (host/repository:tag or @sha256:digest)`,
    );
  const registry = registries.find(
    candidate => candidate.host.toLowerCase() === ref.host,
  );
  if (!registry)
    throw new ImageReadError(
      `${
        ref.host
      } is not a configured registry (mlGovernance.sources.registries: ${
        registries.map(r => r.host).join(', ') || 'none'
      })`,
    );
  return { ref, registry };
}

function configuredRegistryStore(
  uri: string,
  registries: readonly ImageRegistryConfig[],
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): { store: RegistryStore; registry: ImageRegistryConfig } {
  const { ref, registry } = configured(uri, registries);
  const fetch = hostPolicyFetch({
    allowedHosts: [registry.host, ...(registry.additionalHosts ?? [])],
    timeoutMs: registry.timeoutMs,
    maxBodyBytes: limits.maxBlobBytes,
  });
  const credentials =
    registry.username !== undefined && registry.password !== undefined
      ? { username: registry.username, password: registry.password }
      : undefined;
  return {
    registry,
    store: registryStore(ref, limits, {
      fetch,
      credentials,
      insecure: registry.insecure,
    }),
  };
}

/**
 * The digest a reference points at now (one verified manifest request).
 *
 * @public
 */
export async function resolveImageDigest(
  uri: string,
  registries: readonly ImageRegistryConfig[],
): Promise<string> {
  const { store } = configuredRegistryStore(uri, registries);
  await store.topFile('index.json');
  return store.resolvedDigest!;
}

/**
 * `oci://host/repo:tag@sha256:…` → `oci://host/repo@sha256:…` (what the registry API accepts).
 *
 * @public
 */
export function pinnedImageUri(uri: string, digest: string): string {
  const ref = parseRegistryReference(uri);
  if (!ref) return uri;
  return `oci://${ref.host}/${ref.repository}@${digest}`;
}

/** @public */
export async function scanRegistryImage(
  uri: string,
  scanner: Scanner,
  registries: readonly ImageRegistryConfig[],
  options: Omit<ImageScanOptions, 'signatures'> = {},
): Promise<ScanResult> {
  const { store, registry } = configuredRegistryStore(uri, registries);
  return scanImage(uri, store, scanner, {
    ...options,
    signatures: registry.signatures,
  });
}
