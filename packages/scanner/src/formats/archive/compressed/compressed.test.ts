import { gzipSync } from 'node:zlib';
import { buildTar } from '../testing/tarWriter';
import { scanArchive } from '../testing/scanHelpers';
import { innerName } from './gzipReader';

// `head -c 32M /dev/zero | bzip2 -9`: 46 bytes that expand 700,000-fold.
const BZ2_ZEROS_32MIB = Buffer.from('425a6839314159265359a220a29a010101c000c000000820003080291b680201a20100e2ee48a70a121444145340', 'hex');

describe('bzip2 reader', () => {
  // `printf 'pickle bytes' | bzip2 -9`
  const PICKLE_BYTES_BZ2 = Buffer.from('425a6839314159265359e34c338e000004118040001a2c4c2020003100d34d040062545e91c084bc5dc914e142438d30ce38', 'hex');

  it('hands over the decompressed content under the name without .bz2', async () => {
    const scan = await scanArchive(PICKLE_BYTES_BZ2, 'model.pkl.bz2');
    expect(scan.handed).toEqual([{ name: 'model.pkl', location: ['model.pkl'], content: 'pickle bytes' }]);
    expect(scan.formats).toEqual(['bzip2']);
  });

  it('stops a bomb at the ratio cap instead of expanding it', async () => {
    const bomb = await scanArchive(BZ2_ZEROS_32MIB, 'x.bz2');
    expect(bomb.finding('ARCHIVE-BOMB')).toBeDefined();
    expect(bomb.handed).toEqual([]);
  });

  it('reports a corrupt stream instead of passing it', async () => {
    const corrupt = Buffer.from(PICKLE_BYTES_BZ2);
    corrupt[20] ^= 0xff;
    const scan = await scanArchive(corrupt, 'x.bz2');
    expect(scan.result.findings.length).toBeGreaterThan(0);
  });
});

describe('gzip reader', () => {
  it('hands over the decompressed content under the name without .gz', async () => {
    const scan = await scanArchive(gzipSync(Buffer.from('pickle bytes')), 'model.pkl.gz');
    expect(scan.handed).toEqual([{ name: 'model.pkl', location: ['model.pkl'], content: 'pickle bytes' }]);
    expect(scan.result.findings).toEqual([]);
  });

  it('reads every member of a multi-member stream', async () => {
    const scan = await scanArchive(Buffer.concat([gzipSync(Buffer.from('first ')), gzipSync(Buffer.from('second'))]), 'x.gz');
    expect(scan.handed[0].content).toBe('first second');
  });

  it('opens a .tgz down to its members', async () => {
    const scan = await scanArchive(gzipSync(buildTar([{ name: 'w.pkl', data: 'w' }])), 'bundle.tgz');
    expect(scan.handedNames).toEqual(['bundle.tar!w.pkl']);
    expect(scan.formats).toEqual(['gzip', 'tar']);
  });

  it('refuses bombs and reports corrupt streams', async () => {
    const bomb = await scanArchive(gzipSync(new Uint8Array(16 * 1024 * 1024)), 'x.gz');
    expect(bomb.finding('ARCHIVE-BOMB')).toBeDefined();
    expect(bomb.handed).toEqual([]);
    const corrupt = gzipSync(Buffer.from('some content that is long enough'));
    corrupt[12] ^= 0xff;
    expect((await scanArchive(corrupt, 'x.gz')).finding('ARCHIVE-STRUCT')).toBeDefined();
  });

  it('scans what precedes trailing garbage or a truncation, and reports the damage', async () => {
    const member = gzipSync(Buffer.from('\x80\x02cos\nsystem\n.', 'latin1'));
    const trailing = await scanArchive(Buffer.concat([member, Buffer.from('not gzip at all')]), 'x.pkl.gz');
    expect(trailing.handed[0].content).toBe('\x80\x02cos\nsystem\n.');
    expect(trailing.finding('ARCHIVE-STRUCT')?.message).toMatch(/15 bytes after the last gzip member/);
    const big = gzipSync(Buffer.from(Array.from({ length: 5000 }, (_, i) => String.fromCharCode(65 + ((i * 7) % 26))).join('')));
    const truncated = await scanArchive(big.subarray(0, big.length - 40), 'x.gz');
    expect(truncated.handed[0].content).toMatch(/^AHO/);
    expect(truncated.finding('ARCHIVE-STRUCT')).toBeDefined();
  });

  it('names inner content sensibly', () => {
    expect(innerName('a.tgz')).toBe('a.tar');
    expect(innerName('a.joblib.GZ')).toBe('a.joblib');
    expect(innerName('blob')).toBe('blob.decompressed');
  });
});

describe('containers we cannot decompress', () => {
  it.each([
    ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 4])],
    ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0])],
    ['lz4', Buffer.from([0x04, 0x22, 0x4d, 0x18, 0, 0])],
    ['7z', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4])],
    ['rar', Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1')],
    ['lzma', Buffer.from([0x5d, 0, 0, 0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0])],
  ])('reports %s as ARCHIVE-UNSUPPORTED (high), never a pass', async (format, bytes) => {
    const scan = await scanArchive(bytes, `model.${format}`);
    expect(scan.finding('ARCHIVE-UNSUPPORTED')).toMatchObject({ severity: 'high', evidence: { format } });
    expect(scan.formats).toContain(format);
  });

  it('does not claim text that merely starts with BZh', async () => {
    const scan = await scanArchive(Buffer.from('BZh is how bzip2 files start'), 'notes.txt');
    expect(scan.rules).toEqual([]);
  });
});
