import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import {
  LzmaOutputCapReached,
  decodeLzmaAlone,
  decodeXz,
  type LzmaDecoded,
} from '../support/lzmaDecoder';
import { readWrapped, strippedName, type BoundedDecoder } from './readWrapped';

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
    const format = isXz(input.head) ? 'xz' : 'lzma';
    ctx.setFormat(format);
    const decode: BoundedDecoder = (compressed, cap, tick) => {
      let decoded: LzmaDecoded;
      try {
        decoded =
          format === 'xz'
            ? decodeXz(compressed, cap, tick)
            : decodeLzmaAlone(compressed, cap, tick);
      } catch (error) {
        if (error instanceof LzmaOutputCapReached) return { kind: 'over-cap' };
        throw error;
      }
      if (decoded.bytes.length === 0 && decoded.damage)
        return {
          kind: 'corrupt',
          message: `${format} stream is corrupt: ${decoded.damage}`,
        };
      return {
        kind: 'ok',
        bytes: decoded.bytes,
        ...(decoded.damage
          ? { damage: `${format} stream: ${decoded.damage}` }
          : {}),
      };
    };
    await readWrapped(
      input,
      ctx,
      decode,
      strippedName(input.name, /\.(xz|lzma|txz|tlz)$/i),
    );
  },
};
