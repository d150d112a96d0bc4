import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { openOfflineDatabase } from './offlineDatabase';
import { buildZip } from '../formats/archive/testing/zipWriter';
import {
  MALICIOUS,
  TORCH_RCE,
  TRANSFORMERS_LAST_AFFECTED,
} from './__fixtures__/advisories';

/** An OSV-export-shaped zip, written with the scanner's test zip writer. */
function osvZip(
  members: Record<string, string>,
  options: {
    method?: 'stored' | 'deflate';
    comment?: string;
    zip64?: boolean;
  } = {},
) {
  return buildZip({
    entries: Object.entries(members).map(([name, data]) => ({
      name,
      data,
      method: options.method ?? 'deflate',
    })),
    comment: options.comment,
    zip64: options.zip64,
  });
}

async function tempDir() {
  return mkdtemp(join(tmpdir(), 'mlgov-osv-'));
}

describe('openOfflineDatabase', () => {
  it('reads the PyPI export zip (deflated and stored) and indexes records by PEP 503 name', async () => {
    const dir = await tempDir();
    for (const store of [false, true]) {
      const path = join(dir, `all-${store}.zip`);
      await writeFile(
        path,
        osvZip(
          {
            'GHSA-53q9-r3pm-6pq6.json': JSON.stringify(TORCH_RCE),
            'MAL-2024-1234.json': JSON.stringify(MALICIOUS),
            'README.txt': 'not json',
            'broken.json': '{',
          },
          { method: store ? 'stored' : 'deflate', comment: 'osv export' },
        ),
      );
      const database = await openOfflineDatabase(path);
      expect(database.recordsFor('Torch').map(r => r.id)).toEqual([
        'GHSA-53q9-r3pm-6pq6',
      ]);
      expect(database.recordsFor('huggingface-hubb').map(r => r.id)).toEqual([
        'MAL-2024-1234',
      ]);
      expect(database.newestModified).toBe('2025-04-18T15:30:00Z');
      expect(database.source).toMatch(/^offline:.*\(2 records\)$/);
    }
  });

  it('reads a ZIP64 export and one with bytes prepended, as the zip reader of the scanner does', async () => {
    const dir = await tempDir();
    const zip64 = join(dir, 'zip64.zip');
    await writeFile(
      zip64,
      osvZip({ 'a.json': JSON.stringify(TORCH_RCE) }, { zip64: true }),
    );
    expect((await openOfflineDatabase(zip64)).recordsFor('torch')).toHaveLength(
      1,
    );
    const prefixed = join(dir, 'prefixed.zip');
    await writeFile(
      prefixed,
      buildZip({
        prefix: Buffer.from('#!/bin/sh\n'),
        entries: [{ name: 'a.json', data: JSON.stringify(TORCH_RCE) }],
      }),
    );
    expect(
      (await openOfflineDatabase(prefixed)).recordsFor('torch'),
    ).toHaveLength(1);
  });

  it('refuses a member that declares more than the record limit before inflating it', async () => {
    const path = join(await tempDir(), 'big.zip');
    await writeFile(
      path,
      buildZip({
        entries: [
          {
            name: 'a.json',
            data: JSON.stringify(TORCH_RCE),
            centralUncompressedSize: 64 * 1024 * 1024,
          },
        ],
      }),
    );
    await expect(openOfflineDatabase(path)).rejects.toThrow(/over 8388608/);
  });

  it('reads a directory of OSV JSON files', async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, 'a.json'),
      JSON.stringify(TRANSFORMERS_LAST_AFFECTED),
    );
    await mkdir(join(dir, 'nested'));
    const database = await openOfflineDatabase(dir);
    expect(database.recordsFor('transformers')).toHaveLength(1);
  });

  it('rejects a file that is not a zip', async () => {
    const path = join(await tempDir(), 'all.zip');
    await writeFile(path, 'PK but not really');
    await expect(openOfflineDatabase(path)).rejects.toThrow(/not a zip/);
  });
});

describe('openOfflineDatabase on damaged zips', () => {
  it('resolves or rejects with an error message, never hangs, whatever the bytes', async () => {
    const dir = await tempDir();
    const valid = osvZip({
      'a.json': JSON.stringify(TORCH_RCE),
      'b.json': JSON.stringify(MALICIOUS),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })),
          { maxLength: 12 },
        ),
        async edits => {
          const bytes = Buffer.from(valid);
          for (const [at, value] of edits) bytes[at] = value;
          const path = join(dir, 'damaged.zip');
          await writeFile(path, bytes);
          const outcome = await openOfflineDatabase(path).then(
            () => 'ok',
            (error: unknown) =>
              typeof (error as Error)?.message === 'string'
                ? 'error'
                : 'non-error',
          );
          expect(outcome).not.toBe('non-error');
        },
      ),
      { numRuns: 150 },
    );
  });
});
