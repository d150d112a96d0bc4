import { Scanner, type ScanOptions } from './engine/Scanner';
import { DEFAULT_ANALYZERS, DEFAULT_READERS } from './engine/defaults';

/**
 * A scanner with every built-in reader and analyzer; extra ones (from extension points) are appended.
 *
 * @public
 */
export function createScanner(options: ScanOptions = {}): Scanner {
  return new Scanner({
    ...options,
    readers: [...DEFAULT_READERS, ...(options.readers ?? [])],
    analyzers: [...DEFAULT_ANALYZERS, ...(options.analyzers ?? [])],
  });
}
