/**
 * Explicit bounds for reading a container image. Every byte of an image may come from an attacker.
 *
 * @public
 */
export interface ImageLimits {
  /** Largest single blob (manifest, config or compressed layer) read. */
  maxBlobBytes: number;
  /** Largest decompressed layer. A gzip bomb stops here and becomes a finding. */
  maxLayerBytes: number;
  /** Total bytes of the flattened filesystem materialised for the analyzers. */
  maxFilesystemBytes: number;
  /** Entries across all layers. */
  maxEntries: number;
  /** Manifests (platforms) scanned from one index. */
  maxManifests: number;
  /** Largest manifest, index or config JSON. */
  maxJsonBytes: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxBlobBytes: 2 * 1024 ** 3,
  maxLayerBytes: 4 * 1024 ** 3,
  maxFilesystemBytes: 8 * 1024 ** 3,
  maxEntries: 500_000,
  maxManifests: 16,
  maxJsonBytes: 4 * 1024 ** 2,
};

export class ImageReadError extends Error {}
