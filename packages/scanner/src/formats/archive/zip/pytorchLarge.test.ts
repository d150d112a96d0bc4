import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scanner } from '../../../engine/Scanner';
import { ARCHIVE_READERS } from '../index';
import { recordingReader } from '../testing/recordingReader';
import { pytorchZipSpec, writeSparseZip } from '../testing/zipWriter';

const PICKLE = Buffer.from('\x80\x02}q\x00.', 'latin1');

describe('a PyTorch checkpoint costs its headers, not its tensors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlgov-archive-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['a 50 MB stored storage', false],
    ['the same archive in ZIP64 form', true],
  ])('reads only a few KB of %s', async (_label, zip64) => {
    const path = join(dir, zip64 ? 'big64.pt' : 'big.pt');
    const spec = pytorchZipSpec(PICKLE, [
      { name: '0', hole: 50 * 1024 * 1024, crc: 0 },
      { name: '1', hole: 1024 * 1024, crc: 0 },
    ]);
    const size = writeSparseZip(path, { ...spec, zip64 });
    const { reader, handed } = recordingReader();
    const result = await new Scanner({
      readers: [...ARCHIVE_READERS, reader],
    }).scanPath(path);
    expect(result.files[0].size).toBe(size);
    expect(result.files[0].formats).toContain('pytorch-zip');
    expect(handed.map(member => member.name)).toEqual(['data.pkl', 'version']);
    expect(result.findings).toEqual([]);
    expect(result.files[0].bytesRead).toBeLessThan(32 * 1024);
  });
});
