/**
 * Symlinks, hard links and hostile names in layer tars: the flattened filesystem is built inside a
 * private root and nothing a layer says may read or write outside it; bytes a hard link keeps alive
 * are scanned; what cannot be laid out is a finding, never a crash or a PASS.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '../createScanner';
import { paxRecord } from '../formats/archive/testing/tarWriter';
import { DEFAULT_POLICY } from '../policy/defaults';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import { DEFAULT_IMAGE_LIMITS } from './limits';
import { openImageStore, scanImage } from './scanImage';
import {
  MALICIOUS_PICKLE,
  writeLayout,
  type TestImage,
} from './testing/imageBuilder';

const NON_ROOT = { User: '10001' };
const BENIGN = 'print("ok")\n';

let dir: string;
/** A host folder a hostile layer aims at: it must stay empty. */
let outside: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlgov-links-'));
  outside = await mkdtemp(join(tmpdir(), 'mlgov-outside-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function scan(layers: TestImage['layers']) {
  const layout = await writeLayout(join(dir, 'layout'), [
    { config: NON_ROOT, layers },
  ]);
  const result = await scanImage(
    'x',
    await openImageStore(
      { kind: 'oci-layout', path: layout },
      DEFAULT_IMAGE_LIMITS,
    ),
    createScanner(),
  );
  const byPath = (path: string) =>
    result.findings.filter(f => f.location.path === path).map(f => f.ruleId);
  return {
    result,
    paths: result.files.map(f => f.path).sort(),
    byPath,
    messages: result.findings.map(f => f.message).join('\n'),
    decision: evaluatePolicy(result, DEFAULT_POLICY, { now: new Date() })
      .decision,
  };
}

describe('links in image layers', () => {
  it('writes a file under a symlinked folder inside the root, never through the link', async () => {
    const { paths, byPath, decision } = await scan([
      [
        { name: 'lib', type: '2', linkName: outside },
        { name: 'up', type: '2', linkName: `../../../../../..${outside}` },
        // A chain: each link alone looks harmless.
        { name: 'a', type: '2', linkName: 'b' },
        { name: 'b', type: '2', linkName: '/c' },
        { name: 'c', type: '2', linkName: `../..${outside}` },
      ],
      [
        { name: 'lib/evil.pkl', data: MALICIOUS_PICKLE },
        { name: 'up/evil.pkl', data: MALICIOUS_PICKLE },
        { name: 'a/evil.pkl', data: MALICIOUS_PICKLE },
      ],
    ]);
    expect(existsSync(join(outside, 'evil.pkl'))).toBe(false);
    expect(paths).toEqual(['a/evil.pkl', 'lib/evil.pkl', 'up/evil.pkl']);
    for (const path of paths) expect(byPath(path)).toContain('PICKLE-EXEC');
    expect(decision).toBe('BLOCK');
  });

  it('never copies host files for hard links that name them, and says why the link was not laid out', async () => {
    const { paths, messages, decision, result } = await scan([
      [
        { name: 'app/serve.py', data: BENIGN },
        { name: 'app/passwd', type: '1', linkName: '/etc/passwd' },
        { name: 'app/shadow', type: '1', linkName: '../../../etc/shadow' },
        { name: 'app/hosts', type: '1', linkName: `${outside}/x` },
      ],
    ]);
    expect(paths).toEqual(['app/serve.py']);
    expect(messages).toMatch(/hard link app\/passwd names \/etc\/passwd/);
    expect(messages).toMatch(/hard link app\/shadow .* outside the image/);
    expect(JSON.stringify(result)).not.toContain('root:x:0:0');
    expect(decision).not.toBe('PASS');
  });

  it('resolves an absolute hard link against the image root, with the image file bytes', async () => {
    const { paths, result } = await scan([
      [
        { name: 'etc/passwd', data: 'image-user:x:1:1::/:/bin/false\n' },
        { name: 'home/copy', type: '1', linkName: '/etc/passwd' },
      ],
    ]);
    expect(paths).toEqual(['etc/passwd', 'home/copy']);
    expect(result.findings.map(f => f.ruleId)).not.toContain(
      'IMAGE-UNREADABLE',
    );
  });

  it('scans the bytes a hard link keeps after its first name is deleted or overwritten', async () => {
    const { paths, byPath, decision } = await scan([
      [
        { name: 'models/evil.pkl', data: MALICIOUS_PICKLE },
        { name: 'models/kept.pkl', type: '1', linkName: 'models/evil.pkl' },
        { name: 'models/swap.pkl', data: MALICIOUS_PICKLE },
        { name: 'models/linked.pkl', type: '1', linkName: 'models/swap.pkl' },
        { name: 'models/chain.pkl', type: '1', linkName: 'models/kept.pkl' },
      ],
      [
        { name: 'models/.wh.evil.pkl' },
        // The later layer replaces the first name; the link still holds the old inode.
        { name: 'models/swap.pkl', data: BENIGN },
      ],
    ]);
    expect(paths).toEqual([
      'models/chain.pkl',
      'models/kept.pkl',
      'models/linked.pkl',
      'models/swap.pkl',
    ]);
    for (const path of [
      'models/kept.pkl',
      'models/linked.pkl',
      'models/chain.pkl',
    ])
      expect(byPath(path)).toContain('PICKLE-EXEC');
    expect(byPath('models/swap.pkl')).not.toContain('PICKLE-EXEC');
    expect(decision).toBe('BLOCK');
  });

  it('replaces a folder by a file of a later layer, and a file by a folder, without failing the scan', async () => {
    const { paths, byPath } = await scan([
      [
        { name: 'a/evil.pkl', data: MALICIOUS_PICKLE },
        { name: 'f', data: BENIGN },
      ],
      [
        { name: 'a', data: BENIGN },
        { name: 'f/evil.pkl', data: MALICIOUS_PICKLE },
      ],
    ]);
    // a/evil.pkl is not in the container any more (a is a file); f became a folder.
    expect(paths).toEqual(['a', 'f/evil.pkl']);
    expect(byPath('f/evil.pkl')).toContain('PICKLE-EXEC');
  });
});

describe('hostile member names in image layers', () => {
  it('reports names the host cannot hold (NUL, over-long) and scans the rest', async () => {
    const { paths, messages, decision } = await scan([
      [
        { name: 'x', type: 'x', data: paxRecord('path', 'evil\0.pkl') },
        { name: 'ignored', data: MALICIOUS_PICKLE },
        {
          name: 'x',
          type: 'x',
          data: paxRecord('path', `${'n'.repeat(300)}.pkl`),
        },
        { name: 'ignored', data: MALICIOUS_PICKLE },
        {
          name: 'x',
          type: 'x',
          data: paxRecord('path', `${'d/'.repeat(5000)}deep.pkl`),
        },
        { name: 'ignored', data: MALICIOUS_PICKLE },
        { name: 'app/serve.py', data: BENIGN },
      ],
    ]);
    expect(paths).toEqual(['app/serve.py']);
    expect(messages).toContain('evil\\x00.pkl');
    expect(messages).toMatch(/n{20}.*could not be laid out/);
    expect(messages).toMatch(/d\/d\/.*could not be laid out/);
    expect(decision).not.toBe('PASS');
  });

  it('keeps messages about names printable', async () => {
    const { messages } = await scan([
      [
        { name: 'x', type: 'x', data: paxRecord('path', '../\x1b[31mred\0') },
        { name: 'ignored', data: BENIGN },
      ],
    ]);
    expect(messages).toContain('escapes the image root');
    // eslint-disable-next-line no-control-regex -- asserting control characters are gone
    expect(messages).not.toMatch(/[\u0000\u001b]/);
  });
});
