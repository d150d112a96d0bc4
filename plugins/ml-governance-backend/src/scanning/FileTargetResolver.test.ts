import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  unlinkSync,
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

describe('FileTargetResolver content digest', () => {
  const root = mkdtempSync(join(tmpdir(), 'mlgov-digest-'));
  const resolver = new FileTargetResolver({ allowedRoots: [root] });
  let n = 0;
  const folder = (files: Record<string, string | Buffer>) => {
    const dir = join(root, `t${n++}`);
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    return dir;
  };
  const digestOf = async (dir: string) =>
    (await resolver.resolve(`file:${dir}`, {})).digest;
  const PAST = new Date('2026-01-01T00:00:00Z');

  it('changes when bytes change under the same size and mtime, not when only timestamps do', async () => {
    const dir = folder({ 'model.pkl': 'benign!' });
    utimesSync(join(dir, 'model.pkl'), PAST, PAST);
    const before = await digestOf(dir);
    expect(before).toMatch(/^files:[0-9a-f]{64}$/);

    writeFileSync(join(dir, 'model.pkl'), 'EVIL!!!');
    utimesSync(join(dir, 'model.pkl'), PAST, PAST);
    const swapped = await resolver.resolve(`file:${dir}`, {
      previousDigest: before,
    });
    expect(swapped.unchanged).toBe(false);
    expect(swapped.digest).not.toBe(before);

    // `touch` and a copy elsewhere keep the digest: a rejected artifact cannot be re-dated into a new version.
    utimesSync(join(dir, 'model.pkl'), new Date(), new Date());
    expect(await digestOf(dir)).toBe(swapped.digest);
    expect(await digestOf(folder({ 'model.pkl': 'EVIL!!!' }))).toBe(
      swapped.digest,
    );
  });

  it('covers what the scanner reads inside .git and node_modules, link targets and raw-byte names', async () => {
    const dir = folder({
      'node_modules/pkg/model.pt': 'a',
      '.git/objects/x.pkl': 'b',
      'plain.txt': 'c',
    });
    const base = await digestOf(dir);
    writeFileSync(join(dir, 'node_modules/pkg/model.pt'), 'A');
    const inDeps = await digestOf(dir);
    expect(inDeps).not.toBe(base);

    symlinkSync('plain.txt', join(dir, 'link'));
    const linked = await digestOf(dir);
    expect(linked).not.toBe(inDeps);
    unlinkSync(join(dir, 'link'));
    symlinkSync('/etc/passwd', join(dir, 'link'));
    expect(await digestOf(dir)).not.toBe(linked);

    // Two names that are not UTF-8 and differ in one byte would both read as U+FFFD as strings.
    const raw = folder({});
    mkdirSync(raw, { recursive: true });
    const nameA = Buffer.concat([Buffer.from(`${raw}/m`), Buffer.from([0xff])]);
    const nameB = Buffer.concat([Buffer.from(`${raw}/m`), Buffer.from([0xfe])]);
    writeFileSync(nameA, 'one');
    writeFileSync(nameB, 'two');
    const first = await digestOf(raw);
    writeFileSync(nameA, 'two');
    writeFileSync(nameB, 'one');
    expect(await digestOf(raw)).not.toBe(first);
  });

  it('does not block on a FIFO and counts it as an entry', async () => {
    const dir = folder({ 'model.pkl': 'x' });
    const plain = await digestOf(dir);
    execFileSync('mkfifo', [join(dir, 'pipe.pkl')]);
    expect(await digestOf(dir)).not.toBe(plain);
  });

  it('refuses trees past its limits instead of hashing part of them', async () => {
    const dir = folder({ a: 'x'.repeat(100), b: 'y', c: 'z' });
    const small = (digestLimits: object) =>
      new FileTargetResolver({ allowedRoots: [root], digestLimits }).resolve(
        `file:${dir}`,
        {},
      );
    await expect(small({ maxFiles: 2 })).rejects.toThrow(
      /more than 2 entries; its content digest was not computed/,
    );
    await expect(small({ maxBytes: 101 })).rejects.toThrow(
      /more than 101 bytes/,
    );
    await expect(small({ maxFiles: 3, maxBytes: 102 })).resolves.toMatchObject({
      unchanged: false,
    });
  });

  it('fails the scan when the tree changes after hashing, even with size and mtime put back', async () => {
    const dir = folder({ 'model.pkl': 'benign!', 'cfg/a.yaml': 'a: 1' });
    utimesSync(join(dir, 'model.pkl'), PAST, PAST);
    const untouched = await resolver.resolve(`file:${dir}`, {});
    if (untouched.unchanged) throw new Error('expected a path');
    await expect(untouched.cleanup()).resolves.toBeUndefined();

    const swapped = await resolver.resolve(`file:${dir}`, {});
    if (swapped.unchanged) throw new Error('expected a path');
    writeFileSync(join(dir, 'model.pkl'), 'EVIL!!!');
    utimesSync(join(dir, 'model.pkl'), PAST, PAST);
    await expect(swapped.cleanup()).rejects.toThrow(
      /changed while it was scanned \("model.pkl"\)/,
    );

    const added = await resolver.resolve(`file:${dir}`, {});
    if (added.unchanged) throw new Error('expected a path');
    writeFileSync(join(dir, 'cfg/b.yaml'), 'b: 2');
    await expect(added.cleanup()).rejects.toThrow(
      /changed while it was scanned/,
    );

    const removed = await resolver.resolve(`file:${dir}`, {});
    if (removed.unchanged) throw new Error('expected a path');
    rmSync(join(dir, 'cfg'), { recursive: true });
    await expect(removed.cleanup()).rejects.toThrow(
      /changed while it was scanned/,
    );
  });
});
