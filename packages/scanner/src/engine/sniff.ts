import type { FormatReader } from './FormatReader';

/** Bytes read from every input to decide its format. */
export const SNIFF_BYTES = 4096;
/** Bytes read from the end of an input for tail sniffing: a zip end record plus the longest comment. */
export const TAIL_BYTES = 65_557;

/**
 * Picks the readers that claim an input, most specific first. Content decides; the name is only a
 * hint readers may use to break ties (a `.bin` can be a pickle, a zip or raw tensors).
 */
export function selectReaders(
  readers: readonly FormatReader[],
  head: Uint8Array,
  name: string,
  size: number,
): FormatReader[] {
  return readers
    .filter(reader => {
      try {
        return reader.sniff(head, name, size);
      } catch {
        return false;
      }
    })
    .sort((a, b) => b.priority - a.priority);
}

/** Readers (other than the ones already chosen) that also claim the input by its tail. */
export function selectTailReaders(
  readers: readonly FormatReader[],
  chosen: FormatReader | undefined,
  tail: Uint8Array,
  size: number,
): FormatReader[] {
  return readers.filter(reader => {
    if (reader === chosen || !reader.sniffTail) return false;
    try {
      return reader.sniffTail(tail, size);
    } catch {
      return false;
    }
  });
}
