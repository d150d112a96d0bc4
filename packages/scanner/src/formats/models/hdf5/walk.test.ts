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
