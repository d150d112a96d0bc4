import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { ExtractedSource, budgetFor } from '../support/budget';
import {
  outputCap,
  refuseByDeclaredSize,
  refusalForCap,
} from '../support/decompress';
import {
  LzmaOutputCapReached,
  decodeLzmaAlone,
  decodeXz,
  type LzmaDecoded,
} from '../support/lzmaDecoder';
import { refusalSignal } from '../support/refusalSignal';
import { signal } from '../support/signals';

const startsWith = (head: Uint8Array, bytes: number[]) =>
  bytes.every((byte, i) => head[i] === byte);

export const isXz = (head: Uint8Array) =>
  startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
/** Legacy .lzma (as joblib and Python's lzma FORMAT_ALONE write it): properties byte 0x5d, then a 32-bit dictionary size. */
export const isLzmaAlone = (head: Uint8Array) =>
  head.length >= 13 &&
  head[0] === 0x5d &&
  head[1] === 0x00 &&
  head[2] === 0x00 &&
  (head[3] | head[4]) !== 0;

/**
 * xz and legacy lzma wrappers (`.xz`, `.lzma`, joblib's xz/lzma compression): decoded by our
 * bounded LZMA decoder under the size and ratio limits the gzip path has, then handed back to the engine.
 */
export const lzmaReader: FormatReader = {
  id: 'lzma',
  priority: 50,
  sniff: head => isXz(head) || isLzmaAlone(head),
  async read(input: ReaderInput, ctx: ReaderContext): Promise<void> {
    const { source, location, name } = input;
    const format = isXz(input.head) ? 'xz' : 'lzma';
    ctx.setFormat(format);
    const budget = budgetFor(source, ctx.limits);
    const refused = refuseByDeclaredSize(source.size, 0, ctx.limits, budget);
    if (refused) {
      ctx.emit(refusalSignal(refused, location, name));
      return;
    }
    const compressed = await source.read(0, source.size);
    const caps = outputCap(compressed.length, ctx.limits, budget);
    let decoded: LzmaDecoded;
    try {
      decoded =
        format === 'xz'
          ? decodeXz(compressed, caps.cap, () => ctx.checkDeadline())
          : decodeLzmaAlone(compressed, caps.cap, () => ctx.checkDeadline());
    } catch (error) {
      if (!(error instanceof LzmaOutputCapReached)) throw error;
      ctx.emit(
        refusalSignal(
          refusalForCap(caps, compressed.length, ctx.limits, budget),
          location,
          name,
        ),
      );
      return;
    }
    if (decoded.bytes.length === 0 && decoded.damage) {
      ctx.emit(
        refusalSignal(
          {
            kind: 'corrupt',
            message: `${format} stream is corrupt: ${decoded.damage}`,
          },
          location,
          name,
        ),
      );
      return;
    }
    budget.remaining -= decoded.bytes.length;
    if (decoded.damage) {
      ctx.emit(
        signal(
          'ARCHIVE-STRUCT',
          location,
          `${name}: ${format} stream: ${decoded.damage}; the ${decoded.bytes.length} bytes before it were scanned`,
          'damaged-stream',
        ),
      );
    }
    const inner = name.replace(/\.(xz|lzma|txz|tlz)$/i, m =>
      /^\.t/i.test(m) ? '.tar' : '',
    );
    await ctx.scanChild({
      name: inner === name || inner === '' ? `${name}.decompressed` : inner,
      source: new ExtractedSource(decoded.bytes, budget),
    });
  },
};
