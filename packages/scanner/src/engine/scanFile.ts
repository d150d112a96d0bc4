// Opens one top-level file for the scan: small files are read whole, open failures become findings.
import { BufferSource, type ByteSource } from '../io/ByteSource';
import { RemoteReadError } from '../io/RemoteByteSource';
import { PathEscapeError } from '../io/ScanTree';
import type { Collector } from './Collector';
import type { Dispatcher } from './Dispatcher';
import { errorSignal } from './errorSignal';
import type { ReadCache } from './ReadCache';

/** Files up to this size are read with one read and scanned from memory (no head, tail and body reads). */
export const SMALL_FILE_BYTES = 64 * 1024;

/** Opens the file at `path` with `open` and scans it through `dispatcher`, its record and findings into `collector`. */
export async function scanFile(
  dispatcher: Dispatcher,
  path: string,
  open: () => Promise<
    { bytes: Uint8Array } | { source: ByteSource & { close?(): Promise<void> } }
  >,
  collector: Collector,
  cache?: ReadCache,
): Promise<void> {
  let source: ByteSource & { close?(): Promise<void> };
  let small: Uint8Array | undefined;
  try {
    // Local files open through the scan tree, which refuses what resolves outside it (and reads
    // a small one whole at once).
    const opened = await open();
    if ('bytes' in opened) {
      small = opened.bytes;
      source = new BufferSource(small);
    } else source = opened.source;
    if (!small && source.size <= SMALL_FILE_BYTES) {
      // Read once, whole; scanned from memory and kept for the project analyzers.
      try {
        small = await source.read(0, source.size);
      } finally {
        await source.close?.();
      }
    }
  } catch (error) {
    if (error instanceof PathEscapeError) return; // reported by the tree
    collector.emit({
      ruleId:
        error instanceof RemoteReadError
          ? 'SCAN-REMOTE-INCOMPLETE'
          : 'SCAN-ERROR',
      message: `Cannot open file: ${(error as Error).message}`,
      location: { path },
      evidence: {},
      key: 'open',
    });
    return;
  }
  if (small) {
    const record = collector.file(path, small.length);
    record.bytesRead = small.length;
    cache?.keep(path, small);
    await dispatcher.scanTopLevel(
      new BufferSource(small),
      path,
      record,
      collector,
    );
    return;
  }
  const record = collector.file(path, source.size);
  try {
    await dispatcher.scanTopLevel(source, path, record, collector);
  } catch (error) {
    // The sniffing reads happen before any reader runs; a remote file failing there is still a finding.
    if (!(error instanceof RemoteReadError)) throw error;
    collector.emit(errorSignal(error, 'sniff', { path }));
  } finally {
    record.bytesRead = source.bytesRead;
    await source.close?.();
  }
}
