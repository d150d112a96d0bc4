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
export const EXPECTED_FLAGS =
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

/**
 * Byte ranges entries occupy, as columns: each row's local header through its data (not the
 * optional descriptor). `row` maps back to the directory row (members without a local header
 * have no span).
 */
export interface SpanTable {
  count: number;
  row: Uint32Array;
  start: Float64Array;
  end: Float64Array;
  /** 1 when a data descriptor (12–24 bytes) may follow the data. */
  hasDescriptor: Uint8Array;
  /** True when the spans are sorted by start, then end (what writers produce), set as they are added. */
  inOrder: boolean;
  /** Largest end of any span (0 without spans). */
  lastEnd: number;
}

export interface SpanReport {
  /** Directory rows of the two entries and where the second starts inside the first. */
  overlaps: { first: number; second: number; at: number }[];
  /** Bytes no entry accounts for, between `regionStart` and `regionEnd`. */
  gaps: { start: number; end: number }[];
  /** Largest end of any span (0 without spans). */
  lastEnd: number;
}

const DESCRIPTOR_SIZES = new Set([12, 16, 20, 24]);

/**
 * Finds entries that share bytes and bytes no entry accounts for between the start of the archive
 * proper and its central directory. Sorting makes it O(n log n) for archives of any member count;
 * spans already in order (what writers produce) are walked as they are.
 */
export function analyseSpans(
  spans: SpanTable,
  regionStart: number,
  regionEnd: number,
): SpanReport {
  const { start, end, hasDescriptor, inOrder } = spans;
  // Spans in order (nearly every archive) are walked as they are: no index array, no sort.
  let order: Uint32Array | undefined;
  if (!inOrder) {
    order = new Uint32Array(spans.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => start[a] - start[b] || end[a] - end[b]);
  }
  const overlaps: SpanReport['overlaps'] = [];
  const gaps: SpanReport['gaps'] = [];
  let cursor = regionStart;
  let owner = -1;
  const descriptorGap = (size: number) =>
    owner >= 0 && hasDescriptor[owner] === 1 && DESCRIPTOR_SIZES.has(size);
  for (let k = 0; k < spans.count; k++) {
    const i = order ? order[k] : k;
    if (owner >= 0 && start[i] < cursor) {
      overlaps.push({
        first: spans.row[owner],
        second: spans.row[i],
        at: start[i],
      });
    } else if (start[i] > cursor && !descriptorGap(start[i] - cursor)) {
      gaps.push({ start: cursor, end: start[i] });
    }
    if (end[i] > cursor || owner < 0) {
      cursor = Math.max(cursor, end[i]);
      owner = i;
    }
  }
  if (regionEnd > cursor && !descriptorGap(regionEnd - cursor))
    gaps.push({ start: cursor, end: regionEnd });
  return { overlaps, gaps, lastEnd: spans.lastEnd };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}
