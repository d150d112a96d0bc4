import { createHash } from 'node:crypto';
import type {
  ProjectAnalyzer,
  ProjectContext,
} from '../../../engine/ProjectAnalyzer';
import type { ByteSource } from '../../../io/ByteSource';
import { PathEscapeError } from '../../../io/ScanTree';

const CHUNK_BYTES = 4 * 1024 * 1024;

/** Normalises a pinned path to the scanner's `a/b/c` form; undefined if it leaves the root. */
function normalisePinnedPath(path: string): string | undefined {
  const parts = path
    .replace(/\\/g, '/')
    .split('/')
    .filter(p => p !== '' && p !== '.');
  if (path.startsWith('/') || parts.includes('..')) return undefined;
  return parts.join('/');
}

function normaliseDigest(digest: string): string {
  return digest
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
}

/** SHA-256 of a file, streamed in chunks so a multi-GB model never sits in memory. */
export async function sha256OfSource(
  source: ByteSource & { close(): Promise<void> },
): Promise<string> {
  try {
    const hash = createHash('sha256');
    for (let offset = 0; offset < source.size; offset += CHUNK_BYTES) {
      hash.update(await source.read(offset, CHUNK_BYTES));
    }
    return hash.digest('hex');
  } finally {
    await source.close();
  }
}

/**
 * Integrity pins from the policy (`options.pinnedHashes`: path → SHA-256). A pinned file that
 * differs, or is missing, means the reviewed artifact is not the one being shipped.
 */
export const pinnedHashAnalyzer: ProjectAnalyzer = {
  id: 'pinned-hashes',
  async analyze(ctx: ProjectContext) {
    const pins = ctx.options.pinnedHashes ?? {};
    const files = new Set(ctx.files);
    for (const [pinnedPath, expected] of Object.entries(pins)) {
      const path = normalisePinnedPath(pinnedPath);
      const want = normaliseDigest(expected);
      if (path === undefined || !files.has(path)) {
        ctx.emit({
          ruleId: 'MODEL-HASH-MISMATCH',
          severity: 'high',
          message: `Pinned file ${pinnedPath} is not in the scanned tree`,
          location: { path: path ?? pinnedPath },
          evidence: { expected: want },
          key: 'missing',
        });
        continue;
      }
      let actual: string;
      try {
        actual = await sha256OfSource(await ctx.openSource(path));
      } catch (error) {
        if (error instanceof PathEscapeError) continue; // reported by the scan tree
        throw error;
      }
      if (actual !== want) {
        ctx.emit({
          ruleId: 'MODEL-HASH-MISMATCH',
          message: `${path} has SHA-256 ${actual}, but the policy pins ${want}`,
          location: { path },
          evidence: { expected: want, actual },
          key: 'sha256',
        });
      }
    }
  },
};
