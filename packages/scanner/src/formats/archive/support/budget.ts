import {
  BufferSource,
  SliceSource,
  type ByteSource,
} from '../../../io/ByteSource';
import type { ScanLimits } from '../../../model/limits';

/**
 * Decompressed bytes still allowed for one top-level file (`maxTotalBytes`). The budget travels
 * with the member sources we hand to the engine, so a zip nested in a zip draws on the same budget
 * as its parent without any shared state outside the scan.
 */
export interface ExtractionBudget {
  remaining: number;
}

/** A decompressed member: its bytes plus the budget of the top-level file it came from. */
export class ExtractedSource extends BufferSource {
  constructor(bytes: Uint8Array, readonly budget: ExtractionBudget) {
    super(bytes);
  }
}

/** A stored member: a window onto its archive, carrying the top-level budget. */
export class MemberSliceSource extends SliceSource {
  constructor(
    parent: ByteSource,
    start: number,
    size: number,
    readonly budget: ExtractionBudget,
  ) {
    super(parent, start, size);
  }
}

/** The budget this input draws on: inherited from an enclosing archive, or a fresh one. */
export function budgetFor(
  source: ByteSource,
  limits: ScanLimits,
): ExtractionBudget {
  if (source instanceof ExtractedSource || source instanceof MemberSliceSource)
    return source.budget;
  return { remaining: limits.maxTotalBytes };
}
