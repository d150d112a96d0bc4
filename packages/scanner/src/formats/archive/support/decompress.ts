import { constants, crc32, inflateRawSync } from 'node:zlib';
import type { ScanLimits } from '../../../model/limits';
import type { ExtractionBudget } from './budget';

/**
 * Below this many output bytes the compression ratio is not held against a member: small runs of
 * zeros (empty optimiser state, padding) legitimately compress 1000:1, and a few MiB cannot hurt.
 */
export const RATIO_CHECK_FLOOR = 1024 * 1024;

export type Refusal =
  | { kind: 'limit'; limit: 'maxEntryBytes' | 'maxTotalBytes'; message: string }
  | { kind: 'bomb'; ratio: number; message: string }
  | { kind: 'corrupt'; message: string };

export type DecompressOutcome =
  | { ok: true; bytes: Uint8Array; damage?: string }
  | { ok: false; refusal: Refusal };

/**
 * Checks what a header claims before anything is read: a lying small size is caught later by the
 * output cap, a truthful large one costs nothing to refuse now.
 */
export function refuseByDeclaredSize(
  compressedSize: number,
  declaredSize: number,
  limits: ScanLimits,
  budget: ExtractionBudget,
): Refusal | undefined {
  if (
    compressedSize > limits.maxEntryBytes ||
    declaredSize > limits.maxEntryBytes
  ) {
    return {
      kind: 'limit',
      limit: 'maxEntryBytes',
      message: `member is ${Math.max(
        compressedSize,
        declaredSize,
      )} bytes, over the ${limits.maxEntryBytes}-byte limit per member`,
    };
  }
  if (declaredSize > budget.remaining) {
    return {
      kind: 'limit',
      limit: 'maxTotalBytes',
      message: `member would take the decompressed total past the ${limits.maxTotalBytes}-byte limit per file`,
    };
  }
  const ratio = declaredSize / Math.max(1, compressedSize);
  if (declaredSize > RATIO_CHECK_FLOOR && ratio > limits.maxCompressionRatio) {
    return bomb(ratio, limits, 'declares');
  }
  return undefined;
}

/**
 * Decompresses with a hard output cap (the smallest of the per-member limit, what is left of the
 * per-file budget and the ratio limit), so a bomb stops at the cap instead of exhausting memory.
 * On success the output is charged to the budget. A damaged stream still yields what precedes
 * the damage (a streaming loader would have unpickled that much), with `damage` saying what is wrong.
 */
/** The output cap for a compressed input: the smallest of the per-member limit, the file budget and the ratio limit. */
export function outputCap(
  compressedLength: number,
  limits: ScanLimits,
  budget: ExtractionBudget,
): { cap: number; ratioCap: number } {
  const ratioCap = Math.max(
    RATIO_CHECK_FLOOR,
    Math.max(1, compressedLength) * limits.maxCompressionRatio,
  );
  return {
    cap: Math.max(
      1,
      Math.min(limits.maxEntryBytes, budget.remaining, ratioCap),
    ),
    ratioCap,
  };
}

/** Why output stopped at the cap: a bomb (ratio) or a size limit. */
export function refusalForCap(
  caps: { cap: number; ratioCap: number },
  compressedLength: number,
  limits: ScanLimits,
  budget: ExtractionBudget,
): Refusal {
  return capRefusal(caps.cap, caps.ratioCap, compressedLength, limits, budget);
}

export function decompress(
  kind: 'deflate-raw' | 'gzip',
  compressed: Uint8Array,
  limits: ScanLimits,
  budget: ExtractionBudget,
): DecompressOutcome {
  const ratioCap = Math.max(
    RATIO_CHECK_FLOOR,
    Math.max(1, compressed.length) * limits.maxCompressionRatio,
  );
  const cap = Math.max(
    1,
    Math.min(limits.maxEntryBytes, budget.remaining, ratioCap),
  );
  try {
    const { output, damage } =
      kind === 'gzip'
        ? gunzipMembers(compressed, cap)
        : inflateRaw(compressed, cap);
    if (output.length === 0 && damage)
      return {
        ok: false,
        refusal: {
          kind: 'corrupt',
          message: `${kind} stream is corrupt: ${damage}`,
        },
      };
    budget.remaining -= output.length;
    return {
      ok: true,
      bytes: output,
      ...(damage ? { damage: `${kind} stream: ${damage}` } : {}),
    };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      return {
        ok: false,
        refusal: capRefusal(cap, ratioCap, compressed.length, limits, budget),
      };
    }
    return {
      ok: false,
      refusal: {
        kind: 'corrupt',
        message: `${kind} stream is corrupt: ${err.message}`,
      },
    };
  }
}

interface Inflated {
  output: Buffer;
  /** Input bytes the deflate stream used. */
  consumed: number;
  damage?: string;
}

/** Raw deflate; a truncated stream gives its decodable prefix. Throws RangeError past `cap`. */
function inflateRaw(input: Uint8Array, cap: number): Inflated {
  try {
    const { buffer, engine } = inflateRawSync(input, {
      maxOutputLength: cap,
      info: true,
    }) as unknown as InflateInfo;
    return { output: buffer, consumed: engine.bytesWritten };
  } catch (error) {
    if (
      error instanceof RangeError ||
      (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
    )
      throw error;
    const damage = (error as Error).message;
    try {
      const { buffer } = inflateRawSync(input, {
        maxOutputLength: cap,
        info: true,
        finishFlush: constants.Z_SYNC_FLUSH,
      }) as unknown as InflateInfo;
      return { output: buffer, consumed: input.length, damage };
    } catch {
      return { output: Buffer.alloc(0), consumed: 0, damage };
    }
  }
}

interface InflateInfo {
  buffer: Buffer;
  engine: { bytesWritten: number };
}

/**
 * Every member of a gzip stream, one after the other (RFC 1952), checking each CRC. Bytes after the
 * last member that are not another member are reported as damage, not dropped silently.
 */
function gunzipMembers(
  input: Uint8Array,
  cap: number,
): { output: Buffer; damage?: string } {
  const parts: Buffer[] = [];
  let total = 0;
  let at = 0;
  while (at < input.length) {
    const dataStart = gzipHeaderEnd(input, at);
    if (dataStart === undefined) {
      const damage =
        at === 0
          ? 'no gzip header'
          : `${
              input.length - at
            } bytes after the last gzip member are not gzip`;
      return { output: Buffer.concat(parts), damage };
    }
    const member = inflateRaw(
      input.subarray(dataStart),
      Math.max(1, cap - total),
    );
    total += member.output.length;
    parts.push(member.output);
    if (member.damage)
      return { output: Buffer.concat(parts), damage: member.damage };
    const trailer = dataStart + member.consumed;
    if (trailer + 8 > input.length)
      return {
        output: Buffer.concat(parts),
        damage: 'gzip member trailer is missing',
      };
    if (crc32(member.output) >>> 0 !== readU32(input, trailer)) {
      return {
        output: Buffer.concat(parts),
        damage: 'gzip member fails its CRC-32 check',
      };
    }
    at = trailer + 8;
  }
  return { output: Buffer.concat(parts) };
}

const FTEXT_HCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/** Offset of the deflate data after a gzip member header at `at`, or undefined when there is no header. */
function gzipHeaderEnd(input: Uint8Array, at: number): number | undefined {
  if (
    at + 10 > input.length ||
    input[at] !== 0x1f ||
    input[at + 1] !== 0x8b ||
    input[at + 2] !== 0x08
  )
    return undefined;
  const flags = input[at + 3];
  let offset = at + 10;
  if (flags & FEXTRA) offset += 2 + (input[offset] | (input[offset + 1] << 8));
  if (flags & FNAME) offset = skipCString(input, offset);
  if (flags & FCOMMENT) offset = skipCString(input, offset);
  if (flags & FTEXT_HCRC) offset += 2;
  return offset <= input.length ? offset : undefined;
}

function skipCString(input: Uint8Array, from: number): number {
  const nul = input.indexOf(0, from);
  return nul === -1 ? input.length + 1 : nul + 1;
}

function readU32(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] |
      (bytes[at + 1] << 8) |
      (bytes[at + 2] << 16) |
      (bytes[at + 3] << 24)) >>>
    0
  );
}

function capRefusal(
  cap: number,
  ratioCap: number,
  compressedLength: number,
  limits: ScanLimits,
  budget: ExtractionBudget,
): Refusal {
  if (
    cap === ratioCap &&
    ratioCap < limits.maxEntryBytes &&
    ratioCap < budget.remaining
  ) {
    return bomb(
      cap / Math.max(1, compressedLength),
      limits,
      'expands to more than',
    );
  }
  if (cap === limits.maxEntryBytes) {
    return {
      kind: 'limit',
      limit: 'maxEntryBytes',
      message: `member decompresses to more than the ${limits.maxEntryBytes}-byte limit per member`,
    };
  }
  return {
    kind: 'limit',
    limit: 'maxTotalBytes',
    message: `decompressed total would pass the ${limits.maxTotalBytes}-byte limit per file`,
  };
}

function bomb(ratio: number, limits: ScanLimits, verb: string): Refusal {
  const shown = Math.round(ratio);
  return {
    kind: 'bomb',
    ratio: shown,
    message: `member ${verb} ${shown}:1 compression, over the ${limits.maxCompressionRatio}:1 limit`,
  };
}
