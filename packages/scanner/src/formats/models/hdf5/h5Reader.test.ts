import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Scanner } from '../../../engine/Scanner';
import { DEFAULT_READERS } from '../../../engine/defaults';

const fixture = (name: string) => {
  const bytes = readFileSync(join(__dirname, '__fixtures__', name));
  return name.endsWith('.gz') ? gunzipSync(bytes) : bytes;
};
const scan = (name: string) =>
  new Scanner({ readers: DEFAULT_READERS }).scanBytes(
    fixture(name),
    name.replace(/\.gz$/, ''),
  );
const rules = (result: Awaited<ReturnType<typeof scan>>) =>
  result.findings.map(f => `${f.ruleId} ${f.severity}`);

describe('Keras .h5 through the HDF5 walker', () => {
  it.each(['mid_file_vlen_20mib.h5.gz', 'mid_file_fixed_20mib.h5.gz'])(
    'blocks the Lambda config stored mid-file in a 20 MiB model (%s), reading only metadata',
    async name => {
      const result = await scan(name);
      expect(rules(result)).toEqual(['MODEL-KERAS-LAMBDA critical']);
      expect(result.findings[0].message).toContain('CVE-2025-9905');
      expect(result.findings[0].evidence.source).toBe('h5:/@model_config');
      expect(result.files[0].bytesRead).toBeLessThan(512 * 1024);
    },
  );

  it('blocks a 100 KiB model_config in dense attribute storage', async () => {
    expect(rules(await scan('dense_attributes_latest.h5'))).toEqual([
      'MODEL-KERAS-LAMBDA critical',
    ]);
  });

  it('blocks a Keras config on a nested group reached through dense links', async () => {
    const result = await scan('dense_links_latest.h5');
    expect(rules(result)).toEqual(['MODEL-KERAS-LAMBDA critical']);
    expect(result.findings[0].evidence.source).toBe(
      'h5:/layers/layer_33@model_config',
    );
  });

  it.each(['benign_keras2.h5', 'benign_latest.h5', 'weights_only.h5'])(
    'passes %s',
    async name => {
      expect(rules(await scan(name))).toEqual([]);
    },
  );

  it('reports a file whose object header is corrupted as malformed, never a silent pass', async () => {
    const bytes = Buffer.from(fixture('benign_keras2.h5'));
    // The root object header address of a v0 superblock (root symbol table entry at 56, its
    // object header address at 64): point it past the end.
    bytes.writeBigUInt64LE(BigInt(bytes.length + 4096), 64);
    const result = await new Scanner({ readers: DEFAULT_READERS }).scanBytes(
      bytes,
      'model.h5',
    );
    expect(rules(result)).toEqual(['MODEL-MALFORMED high']);
    expect(result.findings[0].message).toContain('could not be walked');
  });

  it('reports datasets declaring 16 GiB in a 5 KB weights file (CVE-2026-12570), reading only metadata', async () => {
    const result = await scan('declared_16gib.h5');
    expect(rules(result)).toEqual(['MODEL-HDF5-DECLARED-SIZE medium']);
    expect(result.findings[0].message).toContain(
      'largest /layers/dense/vars/0: 16.0 GiB',
    );
  });

  it('counts what real weights declare without reporting it', async () => {
    const result = await scan('mid_file_fixed_20mib.h5.gz');
    expect(rules(result)).not.toContain('MODEL-HDF5-DECLARED-SIZE medium');
  });
});
