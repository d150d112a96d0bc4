import { crc32 } from 'node:zlib';
import type { ByteSource } from '../../../io/ByteSource';
import type { Location } from '../../../model/evidence';
import type {
  ReaderContext,
  ReaderOptions,
} from '../../../engine/FormatReader';
import {
  ExtractedSource,
  MemberSliceSource,
  type ExtractionBudget,
} from '../support/budget';
import { bunzipCapped } from '../support/bunzip';
import {
  LzmaOutputCapReached,
  decodeLzmaRaw,
  decodeXz,
  type LzmaDecoded,
} from '../support/lzmaDecoder';
import {
  decompress,
  outputCap,
  refusalForCap,
  refuseByDeclaredSize,
  type DecompressOutcome,
} from '../support/decompress';
import type { ScanLimits } from '../../../model/limits';
import { refusalSignal } from '../support/refusalSignal';
import { memberLocation, signal } from '../support/signals';
import { FLAG_ENCRYPTED, FLAG_STRONG_ENCRYPTION } from './zipStructure';

/** Stored members up to this size are read once to verify their CRC; larger ones are handed over as windows. */
export const STORED_VERIFY_MAX = 4 * 1024 * 1024;

const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const METHOD_AES = 99;
const METHOD_BZIP2 = 12;
const METHOD_LZMA = 14;
const METHOD_XZ = 95;
/** Zip LZMA members with this flag end with an end-of-stream marker (APPNOTE 4.4.4, bit 1). */
const FLAG_LZMA_EOS = 0x0002;
const DECODED_METHODS = new Set([
  METHOD_DEFLATE,
  METHOD_BZIP2,
  METHOD_LZMA,
  METHOD_XZ,
]);
const METHOD_NAMES: Record<number, string> = {
  1: 'shrink',
  6: 'implode',
  9: 'deflate64',
  12: 'bzip2',
  14: 'LZMA',
  19: 'IBM LZ77',
  93: 'zstd',
  95: 'xz',
  96: 'JPEG',
  97: 'WavPack',
  98: 'PPMd',
};

/** Where one member's data is and how it is encoded, from whichever header the caller trusts. */
export interface MemberData {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  dataOffset: number;
}

/** The archive members come from, where it is, and what they may cost. */
export interface HandoverTarget {
  archive: ByteSource;
  container: Location;
  ctx: ReaderContext;
  budget: ExtractionBudget;
  /**
   * True for layouts whose loaders (torch.load / torch.jit.load, numpy.load, Keras) cannot decrypt
   * members: an encrypted member there makes loading fail rather than run unseen content.
   */
  loadersSkipEncrypted?: boolean;
  /** Options for the members' readers (TorchScript archives mark their pickles). */
  childOptions?: Partial<ReaderOptions>;
  /** Sees each member's bytes before the engine does (TorchScript code analysis); a number is the size of a member too large to read whole. */
  inspect?(name: string, bytes: Uint8Array | number, location: Location): void;
}

/**
 * Hands one member to the engine: stored members as a window (verified when small), deflated ones
 * decompressed under the limits. Anything that cannot be analysed becomes a signal naming it.
 */
export async function handOverMember(
  member: MemberData,
  target: HandoverTarget,
): Promise<void> {
  const { archive, container, ctx } = target;
  const location = memberLocation(container, member.name);
  if (
    member.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) ||
    member.method === METHOD_AES
  ) {
    // Graded by who can load it: a model loader cannot decrypt (loading fails: low); anyone with
    // the password can extract and load a member of a plain zip (unseen content: medium, a ticket).
    const loadable = !target.loadersSkipEncrypted;
    ctx.emit(
      signal(
        'ARCHIVE-ENCRYPTED',
        location,
        loadable
          ? `${member.name} is encrypted and was not analysed; whoever has the password can extract and load it`
          : `${member.name} is encrypted and was not analysed; the model loader for this archive cannot decrypt it, so loading fails instead of running it`,
        'encrypted',
        {
          method: member.method,
          flags: member.flags,
          loadable,
        },
        loadable ? 'medium' : 'low',
      ),
    );
    return;
  }
  if (member.dataOffset + member.compressedSize > archive.size) {
    ctx.emit(
      signal(
        'ARCHIVE-STRUCT',
        location,
        `${member.name}: data runs past the end of the archive (truncated file?)`,
        'truncated-member',
        {
          dataOffset: member.dataOffset,
          compressedSize: member.compressedSize,
        },
      ),
    );
    return;
  }
  if (member.method === METHOD_STORED) {
    await handOverStored(member, location, target);
  } else if (DECODED_METHODS.has(member.method)) {
    await handOverDeflated(member, location, target);
  } else {
    const methodName =
      METHOD_NAMES[member.method] ?? `unknown method ${member.method}`;
    ctx.emit(
      signal(
        'ARCHIVE-UNSUPPORTED',
        location,
        `${member.name} is compressed with ${methodName}, which the scanner cannot decompress; it was not analysed`,
        `method:${member.method}`,
        {
          method: member.method,
        },
      ),
    );
  }
}

async function handOverStored(
  member: MemberData,
  location: Location,
  target: HandoverTarget,
): Promise<void> {
  const { archive, ctx, budget } = target;
  if (member.compressedSize > STORED_VERIFY_MAX) {
    target.inspect?.(member.name, member.compressedSize, location);
    await ctx.scanChild({
      name: member.name,
      source: new MemberSliceSource(
        archive,
        member.dataOffset,
        member.compressedSize,
        budget,
      ),
      options: target.childOptions,
    });
    return;
  }
  const bytes = await archive.read(member.dataOffset, member.compressedSize);
  checkCrc(member, bytes, location, ctx);
  target.inspect?.(member.name, bytes, location);
  await ctx.scanChild({
    name: member.name,
    source: new ExtractedSource(bytes, budget),
    options: target.childOptions,
  });
}

async function handOverDeflated(
  member: MemberData,
  location: Location,
  target: HandoverTarget,
): Promise<void> {
  const { archive, ctx, budget } = target;
  const refusedUpFront = refuseByDeclaredSize(
    member.compressedSize,
    member.uncompressedSize,
    ctx.limits,
    budget,
  );
  if (refusedUpFront) {
    ctx.emit(refusalSignal(refusedUpFront, location, member.name));
    return;
  }
  const compressed = await archive.read(
    member.dataOffset,
    member.compressedSize,
  );
  const outcome = decodeMember(member, compressed, ctx.limits, budget, () =>
    ctx.checkDeadline(),
  );
  if (!outcome.ok) {
    ctx.emit(refusalSignal(outcome.refusal, location, member.name));
    return;
  }
  if (outcome.damage) {
    // What precedes the damage is still scanned: a streaming loader would have consumed it.
    ctx.emit(
      signal(
        'ARCHIVE-STRUCT',
        location,
        `${member.name}: ${outcome.damage}; the ${outcome.bytes.length} bytes before the damage were scanned`,
        'damaged-stream',
      ),
    );
    target.inspect?.(member.name, outcome.bytes, location);
    await ctx.scanChild({
      name: member.name,
      source: new ExtractedSource(outcome.bytes, budget),
      options: target.childOptions,
    });
    return;
  }
  if (outcome.bytes.length !== member.uncompressedSize) {
    ctx.emit(
      signal(
        'ARCHIVE-ZIP-MISMATCH',
        location,
        `${member.name} inflates to ${outcome.bytes.length} bytes but its header declares ${member.uncompressedSize}`,
        'size',
        {
          declared: member.uncompressedSize,
          actual: outcome.bytes.length,
        },
      ),
    );
  }
  checkCrc(member, outcome.bytes, location, ctx);
  target.inspect?.(member.name, outcome.bytes, location);
  await ctx.scanChild({
    name: member.name,
    source: new ExtractedSource(outcome.bytes, budget),
    options: target.childOptions,
  });
}

function decodeMember(
  member: MemberData,
  compressed: Uint8Array,
  limits: ScanLimits,
  budget: ExtractionBudget,
  tick: () => void,
): DecompressOutcome {
  if (member.method === METHOD_BZIP2)
    return bunzipMember(compressed, limits, budget);
  if (member.method === METHOD_LZMA || member.method === METHOD_XZ)
    return unlzmaMember(member, compressed, limits, budget, tick);
  return decompress('deflate-raw', compressed, limits, budget);
}

/** An LZMA (method 14) or xz (method 95) member under the same caps as deflate. */
function unlzmaMember(
  member: MemberData,
  compressed: Uint8Array,
  limits: ScanLimits,
  budget: ExtractionBudget,
  tick: () => void,
): DecompressOutcome {
  const caps = outputCap(compressed.length, limits, budget);
  let decoded: LzmaDecoded;
  try {
    decoded =
      member.method === METHOD_XZ
        ? decodeXz(compressed, caps.cap, tick)
        : decodeLzmaRaw(
            compressed,
            caps.cap,
            member.flags & FLAG_LZMA_EOS ? undefined : member.uncompressedSize,
            tick,
          );
  } catch (error) {
    if (error instanceof LzmaOutputCapReached)
      return {
        ok: false,
        refusal: refusalForCap(caps, compressed.length, limits, budget),
      };
    throw error;
  }
  const label = member.method === METHOD_XZ ? 'xz' : 'LZMA';
  if (decoded.bytes.length === 0 && decoded.damage)
    return {
      ok: false,
      refusal: {
        kind: 'corrupt',
        message: `${label} stream is corrupt: ${decoded.damage}`,
      },
    };
  budget.remaining -= decoded.bytes.length;
  return {
    ok: true,
    bytes: decoded.bytes,
    ...(decoded.damage ? { damage: `${label} stream: ${decoded.damage}` } : {}),
  };
}

/** A bzip2 member (method 12) under the same caps as deflate. */
function bunzipMember(
  compressed: Uint8Array,
  limits: ScanLimits,
  budget: ExtractionBudget,
): DecompressOutcome {
  const caps = outputCap(compressed.length, limits, budget);
  const outcome = bunzipCapped(compressed, caps.cap);
  if (outcome.kind === 'over-cap')
    return {
      ok: false,
      refusal: refusalForCap(caps, compressed.length, limits, budget),
    };
  if (outcome.kind === 'corrupt')
    return {
      ok: false,
      refusal: { kind: 'corrupt', message: outcome.message },
    };
  budget.remaining -= outcome.bytes.length;
  return {
    ok: true,
    bytes: outcome.bytes,
    ...(outcome.damage ? { damage: outcome.damage } : {}),
  };
}

function checkCrc(
  member: MemberData,
  bytes: Uint8Array,
  location: Location,
  ctx: ReaderContext,
): void {
  const actual = crc32(bytes) >>> 0;
  if (actual === member.crc32 >>> 0) return;
  ctx.emit(
    signal(
      'ARCHIVE-ZIP-CRC',
      location,
      `${member.name}: CRC-32 is ${hex32(
        actual,
      )} but the header records ${hex32(member.crc32)}`,
      'crc',
      {
        expected: hex32(member.crc32),
        actual: hex32(actual),
      },
    ),
  );
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
