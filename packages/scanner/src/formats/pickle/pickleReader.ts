import type { FormatReader } from '../../engine/FormatReader';
import { OPCODES } from './opcodes';
import { addModelComponent, scanPickleSource } from './scanPickle';
import { probeProtocol01 } from './streams';

/**
 * Plain pickles under any name (`.pkl`, `.bin`, `.pt`, `.ckpt`, `data.pkl` members, no extension),
 * including protocol 0/1 pickles that have no magic bytes, and PyTorch legacy stream files.
 */
export const pickleReader: FormatReader = {
  id: 'pickle',
  priority: 10,
  sniff(head, _name, size) {
    return sniffPickle(head, size);
  },
  async read(input, ctx) {
    const summary = await scanPickleSource(
      { source: input.source, name: input.name, location: input.location },
      ctx,
    );
    addModelComponent(input, ctx, summary);
  },
};

/** `PROTO 0..5` followed by an opcode, or a protocol 0/1 head that parses as a pickle. */
export function sniffPickle(head: Uint8Array, size: number): boolean {
  if (head.length >= 2 && head[0] === 0x80) {
    return (
      head[1] <= 5 && (head.length === 2 || OPCODES[head[2]] !== undefined)
    );
  }
  if (OPCODES[head[0]] === undefined) return false;
  return probeProtocol01(head, undefined, size > head.length).plausible;
}
