import type {
  ResolvedTarget,
  TargetResolver,
} from '@ml-governance/plugin-ml-governance-node';
import {
  pinnedImageUri,
  resolveImageDigest,
  type ImageRegistryConfig,
} from '@ml-governance/scanner';

/**
 * Resolves `oci://` image targets (from `ml-governance.io/image`) to the manifest digest the tag
 * points at now, with one verified manifest request to a configured registry. The digest is what the
 * scan run records per target; an unchanged digest is not pulled again, and a tag that moved is a new
 * scan of the new digest. The scan itself reads by digest, so a tag moving mid-scan changes nothing.
 * A reference to a registry that is not configured fails the target (recorded, never PASS).
 */
export class ImageTargetResolver implements TargetResolver {
  readonly id = 'image';

  constructor(private readonly registries: readonly ImageRegistryConfig[]) {}

  supports(target: string): boolean {
    return target.startsWith('oci://');
  }

  async resolve(
    target: string,
    context: { previousDigest?: string },
  ): Promise<ResolvedTarget> {
    const digest = await resolveImageDigest(target, this.registries);
    if (context.previousDigest === digest) return { unchanged: true, digest };
    return {
      unchanged: false,
      digest,
      path: pinnedImageUri(target, digest),
      cleanup: async () => {},
    };
  }
}
