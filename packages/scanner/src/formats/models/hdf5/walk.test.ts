import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BufferSource } from '../../../io/ByteSource';
import { DEFAULT_HDF5_LIMITS } from './hdf5File';
import { walkHdf5 } from './walk';

const fixture = (name: string) => {
  const bytes = readFileSync(join(__dirname, '__fixtures__', name));
  return name.endsWith('.gz') ? gunzipSync(bytes) : bytes;
};
const walk = (bytes: Uint8Array) =>
  walkHdf5(new BufferSource(bytes), {
    ...DEFAULT_HDF5_LIMITS,
    checkDeadline: () => {},
  });

describe('walkHdf5 on h5py-written files', () => {
  it.each([
    ['mid_file_vlen_20mib.h5.gz', 9],
    ['mid_file_fixed_20mib.h5.gz', 3],
  ])(
    'finds model_config written between 10 MiB tensors (%s) reading metadata only',
    async (name, typeClass) => {
      const bytes = fixture(name);
      const source = new BufferSource(bytes);
      const result = await walkHdf5(source, {
        ...DEFAULT_HDF5_LIMITS,
        checkDeadline: () => {},
      });
      expect(result.problems).toEqual([]);
      const config = result.attributes.find(a => a.name === 'model_config');
      expect(config).toMatchObject({ objectPath: '/', typeClass });
      expect(config!.strings![0]).toContain('"Lambda"');
      expect(result.objects).toBe(22); // root, model_weights, 20 datasets
      expect(source.bytesRead).toBeLessThan(256 * 1024);
    },
  );

  it('reads dense attribute storage (fractal heap, v2 B-tree, huge object over 64 KiB)', async () => {
    const result = await walk(fixture('dense_attributes_latest.h5'));
    expect(result.problems).toEqual([]);
    expect(result.superblockVersion).toBe(3);
    const root = result.attributes.filter(a => a.objectPath === '/');
    expect(root.map(a => a.name).sort()).toEqual(
      [
        ...Array.from({ length: 12 }, (_, i) => `meta_${i}`),
        'model_config',
        'training_config',
      ].sort(),
    );
    expect(root.every(a => a.storage === 'dense')).toBe(true);
    const config = root.find(a => a.name === 'model_config')!;
    expect(config.strings![0].length).toBeGreaterThan(64 * 1024);
    expect(JSON.parse(config.strings![0]).config.layers.at(-1).class_name).toBe(
      'Lambda',
    );
  });

  it('follows dense link storage to a nested group attribute', async () => {
    const result = await walk(fixture('dense_links_latest.h5'));
    expect(result.problems).toEqual([]);
    expect(result.objects).toBe(42);
    expect(
      result.attributes.find(a => a.name === 'model_config')?.objectPath,
    ).toBe('/layers/layer_33');
  });

  it('walks benign files without problems', async () => {
    for (const name of ['benign_keras2.h5', 'benign_latest.h5']) {
      const result = await walk(fixture(name));
      expect(result.problems).toEqual([]);
      expect(result.attributes.map(a => a.name)).toEqual(
        expect.arrayContaining(['model_config', 'keras_version']),
      );
    }
  });
});

describe('walkHdf5 on hostile structure', () => {
  /** The root object header of the v0-superblock fixture and its first message. */
  function rootHeader(bytes: Buffer) {
    const root = Number(bytes.readBigUInt64LE(64));
    expect(bytes[root]).toBe(1); // object header version 1
    return {
      root,
      size: bytes.readUInt32LE(root + 8),
      firstMessage: root + 16,
    };
  }

  it('stops a continuation block that points back at its own header, with a problem', async () => {
    const bytes = Buffer.from(fixture('benign_keras2.h5'));
    const { root, size, firstMessage } = rootHeader(bytes);
    expect(bytes.readUInt16LE(firstMessage + 2)).toBeGreaterThanOrEqual(16);
    bytes.writeUInt16LE(0x0010, firstMessage);
    bytes.writeBigUInt64LE(BigInt(root + 16), firstMessage + 8);
    bytes.writeBigUInt64LE(BigInt(size), firstMessage + 16);
    const started = Date.now();
    const result = await walk(bytes);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.problems.join(' ')).toMatch(/continuation/);
  });

  it('reports a global heap reference that points nowhere instead of passing', async () => {
    const bytes = Buffer.from(fixture('benign_keras2.h5'));
    const gcol = bytes.indexOf('GCOL');
    expect(gcol).toBeGreaterThan(0);
    bytes.write('XXXX', gcol, 'latin1');
    const result = await walk(bytes);
    expect(result.problems.join(' ')).toMatch(/GCOL/);
  });
});
