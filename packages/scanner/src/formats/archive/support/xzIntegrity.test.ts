import { createHash } from 'node:crypto';
import { decodeXz } from './lzmaDecoder';
import { crc64 } from './xzIntegrity';
import { scanArchive } from '../testing/scanHelpers';

// Python: lzma.compress(b'pickle bytes' * 40, check=lzma.CHECK_<kind>).
const WRITTEN: Record<string, string> = {
  none: 'fd377a585a000000ff12d9410200210116000000742fe5a3e001df00155d00381a488dd0b86cac45b13fe9de1803c26c5106000000000000000129e00300000012e897d9a8000afc020000000000595a',
  CRC32:
    'fd377a585a0000016922de360200210116000000742fe5a3e001df00155d00381a488dd0b86cac45b13fe9de1803c26c51060000000000000c34e42200012de00300000004aa06423e300d8b020000000001595a',
  CRC64:
    'fd377a585a000004e6d6b4460200210116000000742fe5a3e001df00155d00381a488dd0b86cac45b13fe9de1803c26c510600000000000075b390c9e7edef49000131e003000000e4681236b1c467fb020000000004595a',
  'SHA-256':
    'fd377a585a00000ae1fb0ca10200210116000000742fe5a3e001df00155d00381a488dd0b86cac45b13fe9de1803c26c5106000000000000dac0c941ee10c2e0d8d930b86f05a8fa8dd1ec4b836af836cf027bef2c5e2096000149e00300000048e763d1b6e9df1c02000000000a595a',
};
const PLAIN = Buffer.from('pickle bytes'.repeat(40));
/** Where the block check starts in every stream above: 12 header + 12 block header + 29 LZMA2 + 3 padding. */
const CHECK_AT = 56;
const CAP = 1 << 20;

const bytesOf = (kind: string) => Buffer.from(WRITTEN[kind], 'hex');
const flipped = (bytes: Buffer, at: number) => {
  const copy = Buffer.from(bytes);
  copy[at] ^= 0x01;
  return copy;
};

describe('xz integrity checks', () => {
  it('computes CRC-64/XZ and agrees with the check xz wrote', () => {
    // The standard check value of CRC-64/XZ over "123456789".
    expect(Buffer.from(crc64(Buffer.from('123456789'))).toString('hex')).toBe(
      Buffer.from('995dc9bbdf1939fa', 'hex').reverse().toString('hex'),
    );
    expect(Buffer.from(crc64(PLAIN))).toEqual(
      bytesOf('CRC64').subarray(CHECK_AT, CHECK_AT + 8),
    );
  });

  it.each(Object.keys(WRITTEN))(
    'decodes a stream with check %s without damage',
    kind => {
      const decoded = decodeXz(bytesOf(kind), CAP);
      expect(decoded.damage).toBeUndefined();
      expect(Buffer.from(decoded.bytes)).toEqual(PLAIN);
    },
  );

  it.each(['CRC32', 'CRC64', 'SHA-256'])(
    'reports a wrong %s block check as integrity damage',
    kind => {
      const decoded = decodeXz(flipped(bytesOf(kind), CHECK_AT + 1), CAP);
      expect(decoded).toMatchObject({
        integrity: true,
        damage: `xz block 0 fails its ${kind} check: the data is not what xz wrote`,
      });
    },
  );

  it('SHA-256 check is the digest of the uncompressed block', () => {
    expect(createHash('sha256').update(PLAIN).digest()).toEqual(
      bytesOf('SHA-256').subarray(CHECK_AT, CHECK_AT + 32),
    );
  });

  it.each([
    ['stream header flags', 7, /stream header fails its CRC32/],
    ['block header', 14, /block 0 header fails its CRC32/],
    ['index record', -22, /index record 0 disagrees|index fails/],
    ['footer backward size', -7, /stream footer fails its CRC32/],
  ])('a flipped bit in the %s is damage', (_what, at, message) => {
    const bytes = bytesOf('CRC64');
    const decoded = decodeXz(
      flipped(bytes, at < 0 ? bytes.length + at : at),
      CAP,
    );
    expect(decoded.damage).toMatch(message);
  });

  it('a stream cut before its index and footer is damage, with the data before it kept', () => {
    const bytes = bytesOf('CRC64');
    const decoded = decodeXz(bytes.subarray(0, CHECK_AT + 8), CAP);
    expect(decoded.damage).toMatch(/truncated/);
    expect(Buffer.from(decoded.bytes)).toEqual(PLAIN);
  });

  it('a reserved check ID is refused, not skipped', () => {
    // Check ID 0x03 with a recomputed header CRC would still name a reserved check.
    const bytes = Buffer.from(bytesOf('CRC32'));
    bytes[7] = 0x03;
    expect(decodeXz(bytes, CAP).damage).toMatch(/CRC32|reserved/);
  });

  it.each([
    ['a wrong CRC64 check', (b: Buffer) => flipped(b, CHECK_AT)],
    ['a truncated stream', (b: Buffer) => b.subarray(0, b.length - 10)],
  ])(
    'the reader turns %s into a blocking ARCHIVE-STRUCT finding, and still scans the data',
    async (_what, damage) => {
      const scan = await scanArchive(damage(bytesOf('CRC64')), 'model.pkl.xz');
      expect(scan.finding('ARCHIVE-STRUCT')).toMatchObject({
        severity: 'high',
      });
      expect(scan.handed.map(h => h.name)).toEqual(['model.pkl']);
    },
  );
});
