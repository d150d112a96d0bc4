import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { openOfflineDatabase } from './offlineDatabase';
import { makeZip } from './__fixtures__/makeZip';
import { MALICIOUS, TORCH_RCE, TRANSFORMERS_LAST_AFFECTED } from './__fixtures__/advisories';

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
        makeZip(
          { 'GHSA-53q9-r3pm-6pq6.json': JSON.stringify(TORCH_RCE), 'MAL-2024-1234.json': JSON.stringify(MALICIOUS), 'README.txt': 'not json', 'broken.json': '{' },
          { store, comment: 'osv export' },
        ),
      );
      const database = await openOfflineDatabase(path);
      expect(database.recordsFor('Torch').map(r => r.id)).toEqual(['GHSA-53q9-r3pm-6pq6']);
      expect(database.recordsFor('huggingface-hubb').map(r => r.id)).toEqual(['MAL-2024-1234']);
      expect(database.newestModified).toBe('2025-04-18T15:30:00Z');
      expect(database.source).toMatch(/^offline:.*\(2 records\)$/);
    }
  });

  it('reads a directory of OSV JSON files', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json'), JSON.stringify(TRANSFORMERS_LAST_AFFECTED));
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
    const valid = makeZip({ 'a.json': JSON.stringify(TORCH_RCE), 'b.json': JSON.stringify(MALICIOUS) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), async edits => {
        const bytes = Buffer.from(valid);
        for (const [at, value] of edits) bytes[at] = value;
        const path = join(dir, 'damaged.zip');
        await writeFile(path, bytes);
        const outcome = await openOfflineDatabase(path).then(() => 'ok', (error: unknown) => (typeof (error as Error)?.message === 'string' ? 'error' : 'non-error'));
        expect(outcome).not.toBe('non-error');
      }),
      { numRuns: 150 },
    );
  });
});
