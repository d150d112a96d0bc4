// The directory walk of a scan: which files under the target are scanned, in a fixed order.
import { opendir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ScanTree } from '../io/ScanTree';
import { matchesAny } from './glob';
import type { Collector } from './Collector';
import { MODEL_EXTENSIONS, extensionOf } from './modelExtensions';

/** VCS and dependency folders: only files with model extensions are scanned inside them. */
const SKIPPED_DIRS = new Set([
  '.git',
  'node_modules',
  '.hg',
  '.svn',
  '__pycache__',
]);

/**
 * The files of the tree a scan reads, relative to its root and `/`-separated, in byte order; at
 * most `maxFiles` of them (a SCAN-LIMIT finding says where the list was cut).
 */
export async function listFiles(
  tree: ScanTree,
  ignore: readonly string[],
  maxFiles: number,
  collector: Collector,
): Promise<string[]> {
  const root = tree.root;
  const files: string[] = [];
  let truncated = false;
  // Inside VCS and dependency folders only files a model loader would open are scanned: git objects
  // and caches are not artifacts, but a checkpoint parked under node_modules/ must not hide there.
  const walk = async (dir: string, restricted: boolean): Promise<void> => {
    const entries = [];
    for await (const entry of await opendir(dir)) entries.push(entry);
    // Byte order, not locale order: the same tree always scans in the same order.
    entries.sort((a, b) => (a.name < b.name ? -1 : Number(a.name > b.name)));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      const rel = relative(root, full).split(sep).join('/');
      if (matchesAny(rel, ignore)) continue;
      if (truncated) return;
      if (entry.isDirectory()) {
        await walk(full, restricted || SKIPPED_DIRS.has(entry.name));
      } else if (entry.isFile()) {
        if (restricted && !MODEL_EXTENSIONS.has(extensionOf(entry.name)))
          continue;
        if (files.length >= maxFiles) {
          truncated = true;
          collector.emit({
            ruleId: 'SCAN-LIMIT',
            message: `More than ${maxFiles} files: ${rel} and the files after it were not analysed`,
            location: { path: '.' },
            evidence: { limit: 'maxFiles', value: maxFiles },
            key: 'maxFiles',
          });
          return;
        }
        files.push(rel);
      } else if (entry.isSymbolicLink()) {
        // Links are not followed: one inside the tree names a file scanned at its own path; one
        // leading out (or nowhere) is reported, since loaders do follow it.
        const status = await tree.linkStatus(rel);
        if (status !== 'inside') tree.reportLink(rel, status);
      }
    }
  };
  await walk(root, false);
  return files;
}
