import type {
  ResolvedTarget,
  TargetResolver,
} from '@ml-governance/plugin-ml-governance-node';
import {
  createRemoteSource,
  isAzureBlobUrl,
  isRemoteUri,
  type RemoteSourcesConfig,
} from '@ml-governance/scanner';

/**
 * Resolves `hf://`, Hub model URLs, `s3://`, `gs://`, `az://` (and Blob service URLs) and `mlflow://`
 * targets to their current version with one metadata call: the digest is the Hub commit SHA, the
 * listing's (key, ETag or generation, size) hash, or the registry version and run. An unchanged digest means nothing is transferred. Otherwise the pinned
 * URI is handed to the scanner, which reads files by ranges (see DefaultArtifactScanner). Only
 * sources with a section in `mlGovernance.sources` are claimed; other remote targets fall through
 * and are recorded as unreadable.
 */
export class RemoteTargetResolver implements TargetResolver {
  readonly id = 'remote';

  constructor(private readonly config: RemoteSourcesConfig) {}

  supports(target: string): boolean {
    if (!isRemoteUri(target, this.config)) return false;
    if (target.startsWith('s3://')) return this.config.s3 !== undefined;
    if (target.startsWith('mlflow://')) return this.config.mlflow !== undefined;
    if (target.startsWith('gs://')) return this.config.gcs !== undefined;
    if (target.startsWith('az://') || isAzureBlobUrl(target))
      return this.config.azure !== undefined;
    return this.config.huggingface !== undefined;
  }

  async resolve(
    target: string,
    context: { previousDigest?: string },
  ): Promise<ResolvedTarget> {
    const source = createRemoteSource(target, this.config);
    const digest = await source.digest();
    if (context.previousDigest === digest) return { unchanged: true, digest };
    return {
      unchanged: false,
      digest,
      path: source.pinnedUri ?? target,
      cleanup: async () => {},
    };
  }
}
