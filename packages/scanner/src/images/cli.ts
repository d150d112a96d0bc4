/** `mlgov scan oci-archive:<file.tar> | docker-archive:<file.tar> | oci-layout:<dir>`. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Scanner } from '../engine/Scanner';
import type { ScanResult } from '../model/finding';
import type { ImageSignatureOptions } from './cosign';
import { DEFAULT_IMAGE_LIMITS } from './limits';
import {
  openImageStore,
  parseImageTarget as parseLocalTarget,
  scanImage,
  type ImageTarget,
} from './scanImage';
import {
  dockerConfigCredentials,
  parseRegistryReference,
  registryStore,
  type RegistryReference,
} from './registry';

export { ImageSignatureKeyError } from './cosign';

export type CliImageTarget =
  | ImageTarget
  | { kind: 'registry'; ref: RegistryReference };

/** `oci://host[:port]/repo:tag|@sha256:…` or a local image target. */
export function parseImageTarget(target: string): CliImageTarget | undefined {
  if (target.startsWith('oci://')) {
    const ref = parseRegistryReference(target);
    // A malformed oci:// falls through to the remote sources, which reject unknown URIs as usage errors.
    return ref ? { kind: 'registry', ref } : undefined;
  }
  return parseLocalTarget(target);
}

export class ImageTargetError extends Error {}

export async function scanImageTarget(
  spec: string,
  target: CliImageTarget,
  cwd: string,
  scanner: Scanner,
  options: {
    ignore?: readonly string[];
    env?: Record<string, string | undefined>;
    fetch?: typeof fetch;
    /** `linux/amd64`-style labels (`--platform`); none scans every platform. */
    platforms?: readonly string[];
    /** Cosign signature check (registry images; a local one only reports it cannot be checked). */
    signatures?: ImageSignatureOptions;
  } = {},
): Promise<ScanResult> {
  if (target.kind === 'registry') {
    const env = options.env ?? {};
    const credentials = await dockerConfigCredentials(target.ref.host, env);
    const store = registryStore(target.ref, DEFAULT_IMAGE_LIMITS, {
      credentials,
      fetch: options.fetch,
      insecure: env.MLGOV_REGISTRY_INSECURE === '1',
    });
    return scanImage(spec, store, scanner, {
      ignore: options.ignore,
      platforms: options.platforms,
      signatures: options.signatures,
    });
  }
  const path = resolve(cwd, target.path);
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new ImageTargetError(`${target.path}: no such file or directory`);
  if (target.kind === 'oci-layout' ? !info.isDirectory() : !info.isFile())
    throw new ImageTargetError(
      `${target.path}: expected ${
        target.kind === 'oci-layout'
          ? 'an OCI layout directory'
          : 'an image tarball'
      }`,
    );
  const resolved = { ...target, path };
  return scanImage(
    spec,
    await openImageStore(resolved, DEFAULT_IMAGE_LIMITS),
    scanner,
    {
      ignore: options.ignore,
      platforms: options.platforms,
      signatures: options.signatures,
    },
  );
}
