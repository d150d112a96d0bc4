/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*", "fc.assert"] }] */
import fc from 'fast-check';
import {
  LzmaOutputCapReached,
  decodeLzmaAlone,
  decodeLzmaRaw,
  decodeXz,
} from './lzmaDecoder';

// Python: lzma.compress(b'pickle bytes' * 40) as xz and FORMAT_ALONE.
const XZ = Buffer.from(
  'fd377a585a000004e6d6b4460200210116000000742fe5a3e001df00155d00381a488dd0b86cac45b13fe9de1803c26c510600000000000075b390c9e7edef49000131e003000000e4681236b1c467fb020000000004595a',
  'hex',
);
const ALONE = Buffer.from(
  '5d00008000ffffffffffffffff00381a488dd0b86cac45b13fe9de1803c26c769377ffffee588000',
  'hex',
);
const EXPECTED = Buffer.from('pickle bytes'.repeat(40));

const decoders: [string, (input: Uint8Array, cap: number) => unknown][] = [
  ['xz', decodeXz],
  ['lzma', decodeLzmaAlone],
  ['raw lzma', (input, cap) => decodeLzmaRaw(input, cap, undefined)],
];

describe('LZMA decoder', () => {
  it('decodes what Python writes', () => {
    expect(Buffer.from(decodeXz(XZ, 1 << 20).bytes)).toEqual(EXPECTED);
    expect(Buffer.from(decodeLzmaAlone(ALONE, 1 << 20).bytes)).toEqual(
      EXPECTED,
    );
  });

  it('stops at the output cap instead of producing more', () => {
    expect(() => decodeXz(XZ, 100)).toThrow(LzmaOutputCapReached);
    expect(() => decodeLzmaAlone(ALONE, 100)).toThrow(LzmaOutputCapReached);
  });

  it.each(decoders)(
    '%s: mutated and random input never throws anything but the cap, and stays under it',
    (_name, decode) => {
      const base = _name === 'xz' ? XZ : ALONE;
      fc.assert(
        fc.property(
          fc.oneof(
            fc.uint8Array({ maxLength: 512 }),
            fc
              .array(
                fc.tuple(
                  fc.nat(base.length - 1),
                  fc.integer({ min: 0, max: 255 }),
                ),
                { minLength: 1, maxLength: 6 },
              )
              .map(edits => {
                const copy = Uint8Array.from(base);
                for (const [at, byte] of edits) copy[at] = byte;
                return copy;
              }),
          ),
          input => {
            try {
              const result = decode(input, 4096) as { bytes: Uint8Array };
              return result.bytes.length <= 4096;
            } catch (error) {
              return error instanceof LzmaOutputCapReached;
            }
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});
