import {
  mkdirSync,
  mkdtempSync,
  symlinkSync,
  writeFileSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTargetResolver } from './FileTargetResolver';

describe('FileTargetResolver', () => {
  const root = mkdtempSync(join(tmpdir(), 'mlgov-files-'));
  const allowed = join(root, 'examples');
  mkdirSync(join(allowed, 'models'), { recursive: true });
  writeFileSync(join(allowed, 'models', 'a.pkl'), 'x');
  mkdirSync(join(root, 'secret'));
  writeFileSync(join(root, 'secret', 'key'), 'k');
  symlinkSync(join(root, 'secret'), join(allowed, 'escape'));
  const resolver = new FileTargetResolver({
    allowedRoots: ['examples'],
    baseDir: root,
  });

  it('reads targets under an allowed root and reports them unchanged while nothing changes', async () => {
    const first = await resolver.resolve(`file:${join(allowed, 'models')}`, {});
    expect(first).toMatchObject({
      unchanged: false,
      path: join(allowed, 'models'),
    });
    const again = await resolver.resolve(`file:${join(allowed, 'models')}`, {
      previousDigest: first.digest,
    });
    expect(again).toEqual({ unchanged: true, digest: first.digest });

    writeFileSync(join(allowed, 'models', 'a.pkl'), 'xy');
    utimesSync(
      join(allowed, 'models', 'a.pkl'),
      new Date(),
      new Date(Date.now() + 5000),
    );
    const changed = await resolver.resolve(`file:${join(allowed, 'models')}`, {
      previousDigest: first.digest,
    });
    expect(changed.unchanged).toBe(false);
  });

  it('refuses paths outside the allowed roots, also through symlinks', async () => {
    await expect(
      resolver.resolve(`file:${join(root, 'secret')}`, {}),
    ).rejects.toThrow(/outside the allowed roots/);
    await expect(
      resolver.resolve(`file:${join(allowed, 'escape')}`, {}),
    ).rejects.toThrow(/outside the allowed roots/);
    await expect(
      resolver.resolve(`file:${allowed}/../secret`, {}),
    ).rejects.toThrow(/outside the allowed roots/);
  });

  it('refuses relative paths and missing files with an error the scan records', async () => {
    await expect(resolver.resolve('file:./models', {})).rejects.toThrow(
      /Relative file target/,
    );
    await expect(
      resolver.resolve(`file:${join(allowed, 'missing')}`, {}),
    ).rejects.toThrow(/ENOENT/);
  });
});
