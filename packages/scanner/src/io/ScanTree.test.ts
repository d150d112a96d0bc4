import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '../createScanner';
import { main } from '../cli/main';
import { captureIo } from '../cli/testing';
import type { Signal } from '../model/evidence';
import { PathEscapeError, ScanTree } from './ScanTree';

/** Text that must never appear in a result: it stands for /etc/passwd, keys, tokens. */
const SECRET_MARKER = 'sEcReT-7f3a91';
const SECRET_TEXT = `root:x:0:0:${SECRET_MARKER}:/root:/bin/bash\n${SECRET_MARKER}-token==1.0\n`;
const MALICIOUS_PICKLE = join(
  __dirname,
  '../formats/pickle/__fixtures__/malicious/os_system_p2.pkl',
);

/** A host directory outside any scanned tree, holding a secret text and a malicious pickle. */
async function outsideHost() {
  const host = await mkdtemp(join(tmpdir(), 'mlgov-host-'));
  await writeFile(join(host, 'secret.txt'), SECRET_TEXT);
  await writeFile(
    join(host, 'METADATA'),
    `Metadata-Version: 2.1\nName: ${SECRET_MARKER}\nVersion: 1.0\n`,
  );
  await writeFile(
    join(host, 'README.md'),
    `---\nlicense: ${SECRET_MARKER}\n---\n`,
  );
  await writeFile(
    join(host, 'config.json'),
    JSON.stringify({ model_type: SECRET_MARKER }),
  );
  await writeFile(join(host, 'evil.pkl'), await readFile(MALICIOUS_PICKLE));
  return host;
}

async function project(
  files: Record<string, string>,
  links: Record<string, string>,
) {
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-tree-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  for (const [path, target] of Object.entries(links)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await symlink(target, join(dir, path));
  }
  return dir;
}

describe('the scan tree: nothing outside the scanned root is read', () => {
  let host: string;
  beforeAll(async () => {
    host = await outsideHost();
  });

  const cases: [
    string,
    (host: string) => {
      files: Record<string, string>;
      links: Record<string, string>;
    },
    string,
  ][] = [
    [
      'a requirements -r include that is a link',
      h => ({
        files: { 'requirements.txt': '-r inc.txt\nrequests==2.32.3\n' },
        links: { 'inc.txt': join(h, 'secret.txt') },
      }),
      'inc.txt',
    ],
    [
      'a requirements -c constraint that is a link',
      h => ({
        files: { 'requirements.txt': '-c pins.txt\nrequests==2.32.3\n' },
        links: { 'pins.txt': join(h, 'secret.txt') },
      }),
      'pins.txt',
    ],
    [
      'an include through a linked directory',
      h => ({
        files: { 'requirements.txt': '-r vendor/secret.txt\n' },
        links: { vendor: h },
      }),
      'requirements.txt,vendor',
    ],
    [
      'an absolute include',
      h => ({
        files: { 'requirements.txt': `-r ${join(h, 'secret.txt')}\n` },
        links: {},
      }),
      'requirements.txt',
    ],
    [
      'an include climbing with ..',
      h => ({
        files: {
          'sub/requirements.txt': `-r ../../../../../../../..${join(
            h,
            'secret.txt',
          )}\n`,
        },
        links: {},
      }),
      'sub/requirements.txt',
    ],
    [
      'a constraints file that is a link',
      h => ({
        files: { 'requirements.txt': 'requests==2.32.3\n' },
        links: { 'constraints.txt': join(h, 'secret.txt') },
      }),
      'constraints.txt',
    ],
    [
      'a pyproject.toml that is a link',
      h => ({ files: {}, links: { 'pyproject.toml': join(h, 'secret.txt') } }),
      'pyproject.toml',
    ],
    [
      'a setup.cfg that is a link',
      h => ({ files: {}, links: { 'setup.cfg': join(h, 'secret.txt') } }),
      'setup.cfg',
    ],
    [
      'a dist-info METADATA that is a link',
      h => ({
        files: {},
        links: {
          'site-packages/x-1.0.dist-info/METADATA': join(h, 'METADATA'),
        },
      }),
      'site-packages/x-1.0.dist-info/METADATA',
    ],
    [
      'a dist-info RECORD that is a link',
      h => ({
        files: {
          'site-packages/x-1.0.dist-info/METADATA':
            'Metadata-Version: 2.1\nName: x\nVersion: 1.0\n',
        },
        links: {
          'site-packages/x-1.0.dist-info/RECORD': join(h, 'secret.txt'),
        },
      }),
      'site-packages/x-1.0.dist-info/RECORD',
    ],
    [
      'a model card README.md that is a link',
      h => ({
        files: { 'model/model.safetensors': '' },
        links: { 'model/README.md': join(h, 'README.md') },
      }),
      'model/README.md',
    ],
    [
      'a config.json that is a link',
      h => ({
        files: { 'model/model.safetensors': '' },
        links: { 'model/config.json': join(h, 'config.json') },
      }),
      'model/config.json',
    ],
    [
      'a nested model file that is a link',
      h => ({
        files: {},
        links: { 'models/v1/model.pkl': join(h, 'evil.pkl') },
      }),
      'models/v1/model.pkl',
    ],
    [
      'a linked directory',
      h => ({ files: { 'ok.txt': 'x' }, links: { 'models/shared': h } }),
      'models/shared',
    ],
    [
      'a dangling link',
      h => ({ files: {}, links: { 'model.onnx_data': join(h, 'nowhere') } }),
      'model.onnx_data',
    ],
  ];

  it.each(cases)(
    'refuses %s, reports SCAN-PATH-ESCAPE and leaks nothing of the target',
    async (_what, layout, location) => {
      const { files, links } = layout(host);
      const dir = await project(files, links);
      const result = await createScanner().scanPath(dir);
      const escapes = result.findings.filter(
        f => f.ruleId === 'SCAN-PATH-ESCAPE',
      );
      expect(escapes.map(f => [f.location.path, f.severity]).sort()).toEqual(
        location.split(',').map(path => [path, 'high']),
      );
      const json = JSON.stringify(result);
      expect(json).not.toContain(SECRET_MARKER);
      expect(json).not.toContain(host);
      // Nothing read from the host: the malicious pickle there did not become a finding here.
      expect(result.findings.map(f => f.ruleId)).not.toContain(
        'PICKLE-DANGEROUS-GLOBAL',
      );
    },
  );

  it('follows links that stay inside the tree, for includes', async () => {
    const dir = await project(
      {
        'real/common.txt': 'numpy==2.1.0\n',
        'requirements.txt': '-r common.txt\n',
      },
      {},
    );
    await symlink(join(dir, 'real', 'common.txt'), join(dir, 'common.txt'));
    const result = await createScanner().scanPath(dir);
    expect(
      result.findings.filter(f => f.ruleId === 'SCAN-PATH-ESCAPE'),
    ).toEqual([]);
    expect(result.components.map(c => c.name)).toContain('numpy');
  });

  it('gives the CLI the same guarantee: the finding, a blocking exit code, no content', async () => {
    const dir = await project(
      { 'requirements.txt': '-r inc.txt\n' },
      { 'inc.txt': join(host, 'secret.txt') },
    );
    const { io, output } = captureIo(dir);
    const code = await main(['scan', '.', '--format', 'json'], io);
    expect(code).toBe(20);
    expect(output.stdout).toContain('SCAN-PATH-ESCAPE');
    expect(output.stdout + output.stderr).not.toContain(SECRET_MARKER);
    expect(output.stdout + output.stderr).not.toContain(host);
  });

  it('scans a target that is itself a link: the caller named it', async () => {
    const dir = await project({ 'requirements.txt': 'numpy==2.1.0\n' }, {});
    const alias = join(
      await mkdtemp(join(tmpdir(), 'mlgov-alias-')),
      'checkout',
    );
    await symlink(dir, alias);
    const result = await createScanner().scanPath(alias);
    expect(result.components.map(c => c.name)).toContain('numpy');
  });

  it('names a missing include by its path in the tree, not by the absolute path on the host', async () => {
    const dir = await project({ 'requirements.txt': '-r missing.txt\n' }, {});
    const result = await createScanner().scanPath(dir);
    expect(result.findings.map(f => f.message)).toContainEqual(
      'requirements.txt:1: cannot read missing.txt: ENOENT',
    );
    expect(
      JSON.stringify(result.findings.map(f => [f.message, f.evidence])),
    ).not.toContain(dir);
  });

  it('does not block on a named pipe named by an include', async () => {
    const dir = await project(
      { 'requirements.txt': '-r pipe.txt\nnumpy==2.1.0\n' },
      {},
    );
    execFileSync('mkfifo', [join(dir, 'pipe.txt')]);
    const result = await createScanner().scanPath(dir);
    expect(result.findings.map(f => [f.ruleId, f.message])).toContainEqual([
      'DEP-PARSE-ERROR',
      expect.stringContaining('pipe.txt is not a regular file'),
    ]);
    expect(result.components.map(c => c.name)).toContain('numpy');
  });

  it('refuses a file swapped for a link after the walk listed it', async () => {
    const dir = await project(
      {},
      { 'requirements.txt': join(host, 'secret.txt') },
    );
    const signals: Signal[] = [];
    const tree = await ScanTree.open(dir, signal => signals.push(signal));
    await expect(
      tree.readText('requirements.txt', 1024, () => new Error('too large')),
    ).rejects.toBeInstanceOf(PathEscapeError);
    await expect(tree.openSource('requirements.txt')).rejects.toThrow(
      'resolves through a symbolic link',
    );
    expect(
      signals.map(s => [s.ruleId, s.location.path, s.evidence.reason]),
    ).toEqual([['SCAN-PATH-ESCAPE', 'requirements.txt', 'symlink']]);
    expect(JSON.stringify(signals)).not.toContain(host);
  });

  describe('openOrRead: small files read at once', () => {
    it('gives the bytes of a small file and an open source for a larger one', async () => {
      const dir = await project(
        { 'small.txt': 'hello', 'large.bin': 'x'.repeat(2048) },
        {},
      );
      const tree = await ScanTree.open(dir, () => undefined);
      const small = await tree.openOrRead('small.txt', 1024);
      expect('bytes' in small && Buffer.from(small.bytes).toString()).toBe(
        'hello',
      );
      const large = await tree.openOrRead('large.bin', 1024);
      if (!('source' in large)) throw new Error('expected an open source');
      expect(large.source.size).toBe(2048);
      await large.source.close();
    });

    it('refuses, and reports once, a small file reached through a linked folder that leads out', async () => {
      const dir = await project({}, { inner: host });
      const signals: Signal[] = [];
      const tree = await ScanTree.open(dir, signal => signals.push(signal));
      await expect(
        tree.openOrRead('inner/secret.txt', 64 * 1024),
      ).rejects.toBeInstanceOf(PathEscapeError);
      expect(
        signals.map(s => [s.ruleId, s.location.path, s.evidence.reason]),
      ).toEqual([['SCAN-PATH-ESCAPE', 'inner/secret.txt', 'symlink']]);
      expect(JSON.stringify(signals)).not.toContain(host);
    });

    it('refuses a small file that is itself a link out of the tree', async () => {
      const dir = await project({}, { 'notes.txt': join(host, 'secret.txt') });
      const tree = await ScanTree.open(dir, () => undefined);
      await expect(
        tree.openOrRead('notes.txt', 64 * 1024),
      ).rejects.toBeInstanceOf(PathEscapeError);
      await expect(
        tree.openOrRead('../secret.txt', 64 * 1024),
      ).rejects.toBeInstanceOf(PathEscapeError);
    });
  });
});
