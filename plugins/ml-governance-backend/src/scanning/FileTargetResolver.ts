import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { NotAllowedError } from '@backstage/errors';
import type {
  ResolvedTarget,
  TargetResolver,
} from '@ml-governance/plugin-ml-governance-node';
import {
  changedEntry,
  DEFAULT_FILE_TREE_DIGEST_LIMITS,
  digestFileTree,
  type FileTreeDigestLimits,
} from './fileTreeDigest';

/**
 * Reads `file:` targets from the local filesystem, only below the configured allowed roots (after
 * resolving symlinks, so a link cannot lead outside). The digest is over content (see
 * fileTreeDigest.ts); `cleanup`, which runs after the scan, fails the target when anything in the
 * tree changed since it was hashed, so a scan result never stands for bytes it did not read.
 */
export class FileTargetResolver implements TargetResolver {
  readonly id = 'file';
  private readonly allowedRoots: string[];
  private readonly digestLimits: FileTreeDigestLimits;

  constructor(options: {
    allowedRoots: string[];
    baseDir?: string;
    digestLimits?: Partial<FileTreeDigestLimits>;
  }) {
    const base = options.baseDir ?? process.cwd();
    this.allowedRoots = options.allowedRoots.map(root => resolve(base, root));
    this.digestLimits = {
      ...DEFAULT_FILE_TREE_DIGEST_LIMITS,
      ...options.digestLimits,
    };
  }

  supports(target: string): boolean {
    return target.startsWith('file:');
  }

  async resolve(
    target: string,
    context: { previousDigest?: string },
  ): Promise<ResolvedTarget> {
    const raw = target.slice('file:'.length);
    if (!isAbsolute(raw)) {
      throw new NotAllowedError(
        `Relative file target '${raw}' has no catalog file location to resolve against`,
      );
    }
    const path = await realpath(raw);
    await this.assertAllowed(path);
    const { digest, stamps } = await digestFileTree(path, this.digestLimits);
    if (context.previousDigest === digest) return { unchanged: true, digest };
    return {
      unchanged: false,
      digest,
      path,
      cleanup: async () => {
        // Bytes swapped between the hash and the scanner's read would pin a result to a digest
        // of other bytes (a PASS for a rejected artifact's digest): the target fails instead.
        const changed = await changedEntry(path, stamps);
        if (changed !== undefined)
          throw new Error(
            `File target ${path} changed while it was scanned (${JSON.stringify(
              changed,
            ).slice(
              0,
              300,
            )}); its scan does not stand for that digest, and the next scan reads it again`,
          );
      },
    };
  }

  private async assertAllowed(path: string): Promise<void> {
    for (const root of this.allowedRoots) {
      const realRoot = await realpath(root).catch(() => undefined);
      if (!realRoot) continue;
      const rel = relative(realRoot, path);
      if (
        rel === '' ||
        (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
      )
        return;
    }
    throw new NotAllowedError(
      `File target ${path} is outside the allowed roots (mlGovernance.scanning.allowedFileRoots)`,
    );
  }
}
