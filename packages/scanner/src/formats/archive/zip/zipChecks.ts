import {
  FLAG_DATA_DESCRIPTOR,
  FLAG_ENCRYPTED,
  FLAG_MASKED_HEADER,
  FLAG_STRONG_ENCRYPTION,
  FLAG_UTF8,
  type CentralEntry,
  type LocalHeader,
} from './zipStructure';
import type { Severity } from '../../../model/severity';

/**
 * Flag bits that do not change what a reader extracts: deflate speed hints (1, 2) and the data
 * descriptor (3), which PyTorch's writer sets everywhere. A difference in these is noted, not blocking.
 */
const HARMLESS_FLAG_DIFFERENCE = 0x0002 | 0x0004 | FLAG_DATA_DESCRIPTOR;
/** Bits a model writer has any reason to set; anything else is unusual. */
const EXPECTED_FLAGS =
  FLAG_ENCRYPTED |
  0x0002 |
  0x0004 |
  FLAG_DATA_DESCRIPTOR |
  FLAG_UTF8 |
  FLAG_STRONG_ENCRYPTION |
  FLAG_MASKED_HEADER;

export interface HeaderDisagreement {
  field:
    | 'name'
    | 'method'
    | 'flags'
    | 'crc32'
    | 'compressedSize'
    | 'uncompressedSize';
  central: string | number;
  local: string | number;
  severity?: Severity;
}

/** The answer for the common case, shared: nothing disagrees. */
const NO_DISAGREEMENT: readonly HeaderDisagreement[] = Object.freeze([]);

/** Compares a local header with its central record, the way a loader choosing either view would see it. */
export function compareHeaders(
  central: CentralEntry,
  local: LocalHeader,
  localName: Uint8Array,
  localSizes: { compressedSize: number; uncompressedSize: number },
  decode: (bytes: Uint8Array) => string,
): readonly HeaderDisagreement[] {
  // Nearly every member agrees: decide that without the array and closure the report needs.
  if (headersAgree(central, local, localName, localSizes))
    return NO_DISAGREEMENT;
  const found: HeaderDisagreement[] = [];
  if (!equalBytes(central.nameBytes, localName)) {
    found.push({
      field: 'name',
      central: decode(central.nameBytes),
      local: decode(localName),
    });
  }
  if (central.method !== local.method)
    found.push({
      field: 'method',
      central: central.method,
      local: local.method,
    });
  const flagDifference = central.flags ^ local.flags;
  if (flagDifference !== 0) {
    found.push({
      field: 'flags',
      central: hex16(central.flags),
      local: hex16(local.flags),
      ...(flagDifference & ~HARMLESS_FLAG_DIFFERENCE
        ? {}
        : { severity: 'low' as const }),
    });
  }
  // With a data descriptor the local fields are legitimately zero; compare only what is filled in.
  const deferred = (local.flags & FLAG_DATA_DESCRIPTOR) !== 0;
  const compare = (
    field: HeaderDisagreement['field'],
    centralValue: number,
    localValue: number,
  ) => {
    if (deferred && localValue === 0) return;
    if (centralValue >>> 0 !== localValue >>> 0)
      found.push({ field, central: centralValue, local: localValue });
  };
  compare('crc32', central.crc32, local.crc32);
  compare('compressedSize', central.compressedSize, localSizes.compressedSize);
  compare(
    'uncompressedSize',
    central.uncompressedSize,
    localSizes.uncompressedSize,
  );
  return found;
}

function headersAgree(
  central: CentralEntry,
  local: LocalHeader,
  localName: Uint8Array,
  localSizes: { compressedSize: number; uncompressedSize: number },
): boolean {
  const deferred = (local.flags & FLAG_DATA_DESCRIPTOR) !== 0;
  return (
    central.method === local.method &&
    central.flags === local.flags &&
    sameField(deferred, central.crc32, local.crc32) &&
    sameField(deferred, central.compressedSize, localSizes.compressedSize) &&
    sameField(
      deferred,
      central.uncompressedSize,
      localSizes.uncompressedSize,
    ) &&
    equalBytes(central.nameBytes, localName)
  );
}

/** As `compareHeaders` judges one numeric field: a deferred (descriptor) zero is not a difference. */
function sameField(
  deferred: boolean,
  centralValue: number,
  localValue: number,
): boolean {
  return (
    (deferred && localValue === 0) || centralValue >>> 0 === localValue >>> 0
  );
}

/** Flag bits outside what model writers use (reserved bits, patched data, enhanced deflate). */
export function unusualFlags(flags: number): number {
  return flags & ~EXPECTED_FLAGS;
}

/** Byte range one entry occupies: its local header through its data (not the optional descriptor). */
export interface EntrySpan {
  name: string;
  start: number;
  end: number;
  /** A data descriptor (12–24 bytes) may follow the data. */
  hasDescriptor: boolean;
}

export interface SpanReport {
  overlaps: { first: string; second: string; at: number }[];
  /** Bytes no entry accounts for, between `regionStart` and `regionEnd`. */
  gaps: { start: number; end: number }[];
}

const DESCRIPTOR_SIZES = new Set([12, 16, 20, 24]);

/**
 * Finds entries that share bytes and bytes no entry accounts for between the start of the archive
 * proper and its central directory. Sorting makes it O(n log n) for archives of any member count.
 */
export function analyseSpans(
  spans: readonly EntrySpan[],
  regionStart: number,
  regionEnd: number,
): SpanReport {
  // Writers lay entries out in directory order: copy and sort only when they are not.
  let inOrder = true;
  for (let i = 1; i < spans.length && inOrder; i++) {
    const a = spans[i - 1];
    const b = spans[i];
    if (a.start > b.start || (a.start === b.start && a.end > b.end))
      inOrder = false;
  }
  const sorted = inOrder
    ? spans
    : [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const overlaps: SpanReport['overlaps'] = [];
  const gaps: SpanReport['gaps'] = [];
  let cursor = regionStart;
  let owner: EntrySpan | undefined;
  for (const span of sorted) {
    if (owner && span.start < cursor) {
      overlaps.push({ first: owner.name, second: span.name, at: span.start });
    } else if (
      span.start > cursor &&
      !isDescriptorGap(owner, span.start - cursor)
    ) {
      gaps.push({ start: cursor, end: span.start });
    }
    if (span.end > cursor || !owner) {
      cursor = Math.max(cursor, span.end);
      owner = span;
    }
  }
  if (regionEnd > cursor && !isDescriptorGap(owner, regionEnd - cursor))
    gaps.push({ start: cursor, end: regionEnd });
  return { overlaps, gaps };
}

function isDescriptorGap(
  previous: EntrySpan | undefined,
  size: number,
): boolean {
  return (
    previous !== undefined &&
    previous.hasDescriptor &&
    DESCRIPTOR_SIZES.has(size)
  );
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}
