import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scanner } from '../../engine/Scanner';
import { PICKLE_FAMILY_READERS } from '../pickle';
import { ARCHIVE_READERS } from './index';
import { scanArchive } from './testing/scanHelpers';

/** Real files made by PyTorch and NumPy (benign) and hand-built malicious variants, from the project corpus. */
const fixture = (name: string) =>
  readFileSync(join(__dirname, '__fixtures__', name));
const BLOCKING = new Set(['critical', 'high']);

describe('container fixtures: what the archive readers hand over', () => {
  it.each([
    [
      'torch_state_dict.pt',
      'pytorch-zip',
      ['archive/data.pkl', 'archive/version'],
    ],
    [
      'torch_full_module.pth',
      'pytorch-zip',
      ['archive/data.pkl', 'archive/version'],
    ],
    ['checkpoint.ckpt', 'pytorch-zip', ['archive/data.pkl', 'archive/version']],
    [
      'torch_zip_os_system.pt',
      'pytorch-zip',
      ['archive/data.pkl', 'archive/byteorder', 'archive/version'],
    ],
    [
      'torch_zip_exec.bin',
      'pytorch-zip',
      ['model/data.pkl', 'model/byteorder', 'model/version'],
    ],
    ['weights.npz', 'numpy-npz', ['w.npy', 'b.npy']],
    ['object_array.npz', 'numpy-npz', ['arr_0.npy']],
  ])(
    '%s is %s and hands over %j with no archive anomaly',
    async (name, format, members) => {
      const scan = await scanArchive(fixture(name), name);
      expect(scan.formats).toEqual(['zip', format]);
      expect(scan.handedNames).toEqual(members);
      expect(scan.result.findings).toEqual([]);
    },
  );
});

describe('container fixtures end to end with the pickle-family readers', () => {
  const scanner = new Scanner({
    readers: [...ARCHIVE_READERS, ...PICKLE_FAMILY_READERS],
  });

  it.each([
    'torch_state_dict.pt',
    'torch_full_module.pth',
    'checkpoint.ckpt',
    'weights.npz',
  ])('%s (benign) gets no blocking finding', async name => {
    const result = await scanner.scanBytes(fixture(name), name);
    expect(
      result.findings
        .filter(finding => BLOCKING.has(finding.severity))
        .map(f => `${f.ruleId}: ${f.message}`),
    ).toEqual([]);
  });

  it.each([
    ['torch_zip_os_system.pt', ['archive/data.pkl']],
    ['torch_zip_exec.bin', ['model/data.pkl']],
    ['object_array.npz', ['arr_0.npy']],
  ])(
    '%s (malicious) is blocked by a finding inside member %j',
    async (name, entry) => {
      const result = await scanner.scanBytes(fixture(name), name);
      const blocking = result.findings.filter(finding =>
        BLOCKING.has(finding.severity),
      );
      expect(blocking.length).toBeGreaterThan(0);
      expect(
        blocking.some(
          finding => finding.location.entry?.join('!') === entry.join('!'),
        ),
      ).toBe(true);
    },
  );
});
