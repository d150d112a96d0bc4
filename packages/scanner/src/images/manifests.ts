/**
 * Resolves an image store to the images it holds: an index (multi-platform) fans out to one manifest
 * per platform; a `docker save` export lists config and layer paths in `manifest.json`.
 */
import { createHash } from 'node:crypto';
import { sha256Of, type ByteStream } from './byteStreams';
import type { ImageStore } from './imageStore';
import { ImageReadError, type ImageLimits } from './limits';

export interface Platform {
  os?: string;
  architecture?: string;
  variant?: string;
}

export interface ResolvedImage {
  /** sha256 of the manifest bytes: what the result pins. */
  manifestDigest: string;
  platform?: Platform;
  config: ImageConfigFile;
  /** Compressed layer blobs in order, lowest first. */
  /** Layers are opened one at a time while scanning, never held whole (see layerDecompress.ts). */
  layers: {
    digest: string;
    mediaType: string;
    open: () => Promise<ByteStream>;
  }[];
}

/** The parts of the image config the scanner reads. */
export interface ImageConfigFile {
  config?: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Labels?: Record<string, string> | null;
  };
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

function parseJson(bytes: Uint8Array, what: string, limits: ImageLimits): any {
  if (bytes.length > limits.maxJsonBytes)
    throw new ImageReadError(
      `${what} is larger than maxJsonBytes (${limits.maxJsonBytes})`,
    );
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ImageReadError(`${what} is not valid JSON`);
  }
}

export function platformLabel(platform?: Platform): string {
  if (!platform) return 'default';
  return [platform.os, platform.architecture, platform.variant]
    .filter(Boolean)
    .join('/');
}

function wanted(
  platform: Platform | undefined,
  platforms: readonly string[] | undefined,
): boolean {
  // A descriptor without a platform (a single-manifest layout or registry tag) is scanned: scanning
  // more is the safe side of a filter.
  if (!platforms || platforms.length === 0 || !platform) return true;
  return platforms.includes(platformLabel(platform));
}

export async function resolveImages(
  store: ImageStore,
  limits: ImageLimits,
  options: { platforms?: readonly string[] } = {},
): Promise<ResolvedImage[]> {
  const index = await store.topFile('index.json');
  if (index) {
    const manifests: ResolvedImage[] = [];
    await walkIndex(
      store,
      parseJson(index, 'index.json', limits),
      limits,
      options.platforms,
      manifests,
      0,
    );
    if (manifests.length === 0)
      throw new ImageReadError(
        'the index names no image manifest for the requested platforms',
      );
    return manifests;
  }
  const dockerManifest = await store.topFile('manifest.json');
  if (dockerManifest)
    return resolveDockerSave(
      store,
      parseJson(dockerManifest, 'manifest.json', limits),
      limits,
    );
  throw new ImageReadError(
    'neither index.json (OCI layout) nor manifest.json (docker save) found',
  );
}

async function walkIndex(
  store: ImageStore,
  index: any,
  limits: ImageLimits,
  platforms: readonly string[] | undefined,
  out: ResolvedImage[],
  depth: number,
): Promise<void> {
  if (depth > 4)
    throw new ImageReadError('image indexes nest more than 4 deep');
  if (!Array.isArray(index?.manifests))
    throw new ImageReadError('index has no manifests array');
  for (const descriptor of index.manifests) {
    if (typeof descriptor?.digest !== 'string')
      throw new ImageReadError('index descriptor without a digest');
    // Attestation manifests (buildx) are not runnable images.
    if (
      descriptor.annotations?.['vnd.docker.reference.type'] ===
      'attestation-manifest'
    )
      continue;
    const bytes = await store.blob(descriptor.digest);
    const document = parseJson(bytes, `manifest ${descriptor.digest}`, limits);
    const mediaType = document.mediaType ?? descriptor.mediaType;
    if (INDEX_TYPES.has(mediaType) || Array.isArray(document.manifests)) {
      await walkIndex(store, document, limits, platforms, out, depth + 1);
      continue;
    }
    if (!wanted(descriptor.platform, platforms)) continue;
    if (out.length >= limits.maxManifests)
      throw new ImageReadError(
        `more than maxManifests (${limits.maxManifests}) images in the index`,
      );
    out.push(
      await resolveManifest(
        store,
        document,
        descriptor.digest,
        descriptor.platform,
        limits,
      ),
    );
  }
}

export async function resolveManifest(
  store: ImageStore,
  manifest: any,
  manifestDigest: string,
  platform: Platform | undefined,
  limits: ImageLimits,
): Promise<ResolvedImage> {
  if (
    typeof manifest?.config?.digest !== 'string' ||
    !Array.isArray(manifest.layers)
  )
    throw new ImageReadError(
      `manifest ${manifestDigest} has no config or layers`,
    );
  const config = parseJson(
    await store.blob(manifest.config.digest),
    'image config',
    limits,
  );
  const layers = [];
  for (const layer of manifest.layers) {
    if (typeof layer?.digest !== 'string')
      throw new ImageReadError('layer descriptor without a digest');
    if (typeof layer.size === 'number' && layer.size > limits.maxBlobBytes)
      throw new ImageReadError(
        `layer ${layer.digest} is larger than maxBlobBytes`,
      );
    layers.push({
      digest: layer.digest,
      mediaType: String(layer.mediaType ?? ''),
      open: () => store.blobStream(layer.digest),
    });
  }
  return {
    manifestDigest,
    platform: platform ?? platformOf(config),
    config,
    layers,
  };
}

function platformOf(config: any): Platform | undefined {
  return typeof config?.os === 'string'
    ? {
        os: config.os,
        architecture: config.architecture,
        variant: config.variant,
      }
    : undefined;
}

async function resolveDockerSave(
  store: ImageStore,
  manifest: any,
  limits: ImageLimits,
): Promise<ResolvedImage[]> {
  if (!Array.isArray(manifest) || manifest.length === 0)
    throw new ImageReadError('manifest.json lists no image');
  const images: ResolvedImage[] = [];
  for (const item of manifest.slice(0, limits.maxManifests)) {
    const configBytes =
      typeof item?.Config === 'string'
        ? await store.path(item.Config)
        : undefined;
    if (!configBytes || !Array.isArray(item.Layers))
      throw new ImageReadError('manifest.json entry without Config or Layers');
    const config = parseJson(configBytes, item.Config, limits);
    const layers = [];
    for (const path of item.Layers) {
      const open = async () => {
        const stream =
          typeof path === 'string' ? await store.pathStream(path) : undefined;
        if (!stream)
          throw new ImageReadError(
            `layer ${String(path)} is missing from the archive`,
          );
        return stream;
      };
      // docker save names layers by path; their digest (read once, streamed) names them in findings.
      layers.push({
        digest: await sha256Of(await open()),
        mediaType: '',
        open,
      });
    }
    // docker save has no registry manifest; the config digest is the image ID docker itself uses.
    const manifestDigest = `sha256:${createHash('sha256')
      .update(configBytes)
      .digest('hex')}`;
    images.push({
      manifestDigest,
      platform: platformOf(config),
      config,
      layers,
    });
  }
  return images;
}
