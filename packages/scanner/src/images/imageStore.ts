/**
 * Where an image's blobs come from: an OCI image layout folder, or a tarball (`docker save` or an OCI
 * archive) read member by member. Every blob is checked against its sha256 digest before use, so what
 * is scanned is exactly what the manifest digest pins.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLayerTar } from './layerEntries';
import { ImageReadError, type ImageLimits } from './limits';

export interface ImageStore {
  /** A top-level file of the layout (`index.json`, `manifest.json`, `oci-layout`), or undefined. */
  topFile(name: string): Promise<Uint8Array | undefined>;
  /** A blob by digest, verified. */
  blob(digest: string): Promise<Uint8Array>;
  /** `docker save` names layers by path rather than digest. */
  path(path: string): Promise<Uint8Array | undefined>;
  bytesRead: number;
  /** HTTP requests made (registry stores). */
  requests?: number;
  /** The digest the target resolved to (a registry tag to its index or manifest), to pin the scan. */
  resolvedDigest?: string;
}

const DIGEST = /^sha256:([a-f0-9]{64})$/;

export function verifyDigest(digest: string, bytes: Uint8Array): void {
  const match = DIGEST.exec(digest);
  if (!match)
    throw new ImageReadError(
      `unsupported or malformed digest ${JSON.stringify(digest).slice(0, 80)}`,
    );
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== match[1])
    throw new ImageReadError(
      `blob ${digest} does not match its content (sha256:${actual})`,
    );
}

export function blobPath(digest: string): string {
  const match = DIGEST.exec(digest);
  if (!match)
    throw new ImageReadError(
      `unsupported or malformed digest ${JSON.stringify(digest).slice(0, 80)}`,
    );
  return `blobs/sha256/${match[1]}`;
}

export function layoutStore(root: string, limits: ImageLimits): ImageStore {
  const store: ImageStore = {
    bytesRead: 0,
    async topFile(name) {
      return store.path(name);
    },
    async path(path) {
      const file = join(root, path);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      if (info.size > limits.maxBlobBytes)
        throw new ImageReadError(
          `${path} is larger than maxBlobBytes (${limits.maxBlobBytes})`,
        );
      const bytes = await readFile(file);
      store.bytesRead += bytes.length;
      return bytes;
    },
    async blob(digest) {
      const bytes = await store.path(blobPath(digest));
      if (!bytes)
        throw new ImageReadError(`blob ${digest} is missing from the layout`);
      verifyDigest(digest, bytes);
      return bytes;
    },
  };
  return store;
}

/** A tarball holding a layout (OCI archive) or a `docker save` export. */
export async function archiveStore(
  file: string,
  limits: ImageLimits,
): Promise<ImageStore> {
  const info = await stat(file);
  if (info.size > limits.maxBlobBytes + limits.maxLayerBytes)
    throw new ImageReadError(`${file} is larger than the image limits allow`);
  const bytes = await readFile(file);
  const parsed = parseLayerTar(bytes, limits.maxEntries);
  if (parsed.problems.length > 0 && parsed.entries.length === 0)
    throw new ImageReadError(
      `not an image archive: ${parsed.problems.join('; ')}`,
    );
  const members = new Map<string, Uint8Array>();
  for (const entry of parsed.entries)
    if (entry.kind === 'file' && entry.data)
      members.set(entry.path, entry.data);
  const store: ImageStore = {
    bytesRead: bytes.length,
    async topFile(name) {
      return members.get(name);
    },
    async path(path) {
      return members.get(path.replace(/^\.?\//, ''));
    },
    async blob(digest) {
      const blob = members.get(blobPath(digest));
      if (!blob)
        throw new ImageReadError(`blob ${digest} is missing from the archive`);
      verifyDigest(digest, blob);
      return blob;
    },
  };
  return store;
}
