import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FileSource } from '../io/ByteSource';
import { RemoteReadError } from '../io/RemoteByteSource';
import type { Scanner, ScanEntry, ScanOptions } from '../engine/Scanner';
import type { ScanResult } from '../model/finding';
import type { Signal } from '../model/evidence';
import type { RemoteSource, RemoteTree, TransferContext } from './types';

/**
 * Options of {@link scanRemoteSource}.
 *
 * @public
 */
export interface RemoteScanOptions extends Pick<ScanOptions, 'onProgress'> {
  /** Files up to this size are fetched whole so the project analyzers (dependencies, model cards) see them. */
  smallFileBytes?: number;
  /** Cap on what is fetched whole per scan. */
  smallFilesTotalBytes?: number;
}

/**
 * Limits of a remote scan unless the caller sets others.
 *
 * @public
 */
export const REMOTE_SCAN_DEFAULTS = {
  smallFileBytes: 1024 * 1024,
  smallFilesTotalBytes: 16 * 1024 * 1024,
} as const;

/**
 * Scans a remote source: lists it at one pinned version, fetches small files whole into a temporary
 * folder (for the project analyzers), and reads every other file by ranges, so a multi-GB checkpoint
 * costs its headers. A source that cannot be listed, or a file that cannot be read in full, is a
 * SCAN-REMOTE-INCOMPLETE finding, never a pass. The result carries the pinned record and the bytes
 * transferred.
 *
 * @public
 */
export async function scanRemoteSource(
  scanner: Scanner,
  source: RemoteSource,
  transfer: TransferContext,
  options: RemoteScanOptions = {},
): Promise<ScanResult> {
  const started = Date.now();
  let tree: RemoteTree;
  try {
    tree = await source.open();
  } catch (error) {
    if (!(error instanceof RemoteReadError)) throw error;
    const result = await scanner.scanEntries(source.uri, [], {
      analyzerRoot: tmpdir(),
      analyzerFiles: [],
      signals: [
        incomplete(
          `The source could not be listed: ${error.message}`,
          'listing',
        ),
      ],
    });
    return { ...result, startedAt: new Date(started).toISOString() };
  }

  const folder = await mkdtemp(join(tmpdir(), 'mlgov-remote-'));
  try {
    const smallFileBytes =
      options.smallFileBytes ?? REMOTE_SCAN_DEFAULTS.smallFileBytes;
    let budget =
      options.smallFilesTotalBytes ?? REMOTE_SCAN_DEFAULTS.smallFilesTotalBytes;
    const signals: Signal[] = tree.problems.map((problem, index) =>
      incomplete(problem, `problem:${index}`),
    );
    const analyzerFiles: string[] = [];
    const entries: ScanEntry[] = [];
    for (const file of tree.files) {
      if (file.size <= smallFileBytes && file.size <= budget) {
        const local = spoolPath(folder, file.path);
        if (local === undefined) {
          // Still scanned, by ranges; only the project analyzers go without it, and that is said.
          signals.push(
            unspooled(file.path, 'its name is not a relative file path'),
          );
          entries.push({ path: file.path, open: async () => file.open() });
          continue;
        }
        budget -= file.size;
        try {
          const bytes = await file.open().read(0, file.size);
          await mkdir(dirname(local), { recursive: true });
          // `wx`: two names that land on one file (a case-insensitive disk) never overwrite each other.
          await writeFile(local, bytes, { flag: 'wx' });
          analyzerFiles.push(file.path);
          entries.push({ path: file.path, open: () => FileSource.open(local) });
        } catch (error) {
          if (error instanceof RemoteReadError) {
            signals.push({
              ...incomplete(
                `Cannot read ${file.path}: ${error.message}`,
                'read',
              ),
              location: { path: file.path },
            });
          } else if (isLayoutConflict(error)) {
            // `a` beside `a/b`, or a name the disk refuses: scanned by ranges, not spooled.
            signals.push(
              unspooled(file.path, (error as NodeJS.ErrnoException).code!),
            );
            entries.push({ path: file.path, open: async () => file.open() });
          } else throw error;
        }
        continue;
      }
      entries.push({ path: file.path, open: async () => file.open() });
    }
    const result = await scanner.scanEntries(tree.record.pinnedUri, entries, {
      analyzerRoot: folder,
      analyzerFiles: analyzerFiles.sort(),
      components: tree.components,
      signals,
      onProgress: progress =>
        options.onProgress?.({
          ...progress,
          path: `${progress.path} · ${formatBytes(
            transfer.meter.bytes,
          )} fetched`,
        }),
    });
    return {
      ...result,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      remote: {
        ...tree.record,
        bytesTransferred: transfer.meter.bytes,
        requests: transfer.meter.requests,
      },
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Longest path segment most file systems store (bytes). */
const MAX_SEGMENT_BYTES = 255;

/**
 * Where a small remote file is spooled for the project analyzers: its own relative path under the
 * folder, so `-r other.txt` in a requirements file finds its neighbour. Undefined for a name that is
 * not one distinct relative path there: object stores and hubs allow `a//b`, `a/./b`, `./a`,
 * backslashes and NUL, which a path join would fold onto another object's file (one object's bytes
 * would then be scanned under two names, and the other's never).
 */
export function spoolPath(folder: string, path: string): string | undefined {
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') return undefined;
    if (segment.includes('\\') || segment.includes('\u0000')) return undefined;
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return undefined;
  }
  return join(folder, ...segments);
}

const LAYOUT_CONFLICTS = new Set([
  'EEXIST',
  'ENOTDIR',
  'EISDIR',
  'ENAMETOOLONG',
  'EILSEQ',
  'EINVAL',
]);

function isLayoutConflict(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && LAYOUT_CONFLICTS.has(code);
}

function unspooled(path: string, why: string): Signal {
  return {
    ...incomplete(
      `${path} was scanned by ranges, but not laid out for the dependency, licence and model-card analyzers (${why})`,
      `unspooled:${why}`,
    ),
    location: { path },
  };
}

function incomplete(message: string, key: string): Signal {
  return {
    ruleId: 'SCAN-REMOTE-INCOMPLETE',
    message,
    location: { path: '.' },
    evidence: {},
    key,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
