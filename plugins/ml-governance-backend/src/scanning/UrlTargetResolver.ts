import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotModifiedError } from '@backstage/errors';
import type {
  ResolvedTarget,
  TargetResolver,
} from '@ml-governance/plugin-ml-governance-node';

/**
 * Reads `url:` targets through Backstage's UrlReader, so only configured integrations are reachable
 * and their credentials are used. The tree's ETag is the digest: an unchanged tree is not downloaded.
 */
export class UrlTargetResolver implements TargetResolver {
  readonly id = 'url';

  constructor(private readonly urlReader: UrlReaderService) {}

  supports(target: string): boolean {
    return target.startsWith('url:');
  }

  async resolve(
    target: string,
    context: { previousDigest?: string },
  ): Promise<ResolvedTarget> {
    const url = target.slice('url:'.length);
    try {
      const tree = await this.urlReader.readTree(url, {
        etag: context.previousDigest,
      });
      const dir = await mkdtemp(join(tmpdir(), 'mlgov-'));
      try {
        await tree.dir({ targetDir: dir });
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
      return {
        unchanged: false,
        digest: tree.etag,
        path: dir,
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    } catch (error) {
      if (error instanceof NotModifiedError && context.previousDigest) {
        return { unchanged: true, digest: context.previousDigest };
      }
      throw error;
    }
  }
}
