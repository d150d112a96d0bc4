import { createHash } from 'node:crypto';
import { lstat, opendir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { NotAllowedError } from '@backstage/errors';
import type {
  ResolvedTarget,
  TargetResolver,
} from '@ml-governance/plugin-ml-governance-node';

const SKIPPED_DIRS = new Set(['.git', 'node_modules', '__pycache__']);

/**
 * Reads `file:` targets from the local filesystem, only below the configured allowed roots (after
 * resolving symlinks, so a link cannot lead outside). The digest hashes every file's path, size and
 * modification time: cheap, and it changes whenever the content can have changed.
 */
export class FileTargetResolver implements TargetResolver {
  readonly id = 'file';
  private readonly allowedRoots: string[];

  constructor(options: { allowedRoots: string[]; baseDir?: string }) {
    const base = options.baseDir ?? process.cwd();
    this.allowedRoots = options.allowedRoots.map(root => resolve(base, root));
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
    const digest = await this.digest(path);
    if (context.previousDigest === digest) return { unchanged: true, digest };
    return { unchanged: false, digest, path, cleanup: async () => {} };
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

  private async digest(path: string): Promise<string> {
    const hash = createHash('sha256');
    const visit = async (absolute: string): Promise<void> => {
      const stat = await lstat(absolute);
      if (stat.isDirectory()) {
        const names: string[] = [];
        for await (const entry of await opendir(absolute)) {
          if (!(entry.isDirectory() && SKIPPED_DIRS.has(entry.name)))
            names.push(entry.name);
        }
        for (const name of names.sort()) await visit(join(absolute, name));
      } else if (stat.isFile()) {
        hash.update(
          `${relative(path, absolute)}\0${stat.size}\0${stat.mtimeMs}\n`,
        );
      }
    };
    await visit(path);
    return `files:${hash.digest('hex')}`;
  }
}
