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
        budget -= file.size;
        try {
          const local = join(folder, ...file.path.split('/'));
          await mkdir(dirname(local), { recursive: true });
          await writeFile(local, await file.open().read(0, file.size));
          analyzerFiles.push(file.path);
          entries.push({ path: file.path, open: () => FileSource.open(local) });
        } catch (error) {
          if (!(error instanceof RemoteReadError)) throw error;
          signals.push({
            ...incomplete(`Cannot read ${file.path}: ${error.message}`, 'read'),
            location: { path: file.path },
          });
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
