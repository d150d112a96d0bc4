import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILE_CONCURRENCY, SMALL_FILE_BYTES, Scanner } from './Scanner';
import type { FormatReader } from './FormatReader';
import { BufferSource } from '../io/ByteSource';
import { fingerprintOf } from './fingerprint';

const fakeZipLike: FormatReader = {
  id: 'test-container',
  priority: 10,
  sniff: head => head[0] === 0x43, // 'C'
  async read(input, ctx) {
    // Treat each line after the first as a member whose content is the line itself.
    const text = Buffer.from(
      await input.source.read(0, input.source.size),
    ).toString('utf8');
    for (const [i, line] of text.split('\n').slice(1).entries()) {
      await ctx.scanChild({
        name: `m${i}`,
        source: new BufferSource(Buffer.from(line)),
      });
    }
  },
};
const thrower: FormatReader = {
  id: 'test-thrower',
  priority: 1,
  sniff: head => head[0] === 0x58, // 'X'
  async read() {
    throw new Error('boom');
  },
};

describe('Scanner', () => {
  it('reports unreadable input as SCAN-ERROR and model files nobody recognises as SCAN-UNSUPPORTED', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlgov-'));
    await writeFile(
      join(dir, 'broken.bin'),
      'X marks a file the reader fails on',
    );
    await writeFile(join(dir, 'mystery.pt'), 'no reader claims this');
    await writeFile(join(dir, 'notes.txt'), 'not a model: ignored');
    const scanner = new Scanner({ readers: [thrower] });
    const result = await scanner.scanPath(dir);
    expect(
      result.findings.map(f => [f.ruleId, f.location.path]).sort(),
    ).toEqual([
      ['SCAN-ERROR', 'broken.bin'],
      ['SCAN-UNSUPPORTED', 'mystery.pt'],
    ]);
    expect(result.files.map(f => f.path)).toEqual([
      'broken.bin',
      'mystery.pt',
      'notes.txt',
    ]);
  });

  it('stops descending past maxDepth with a SCAN-LIMIT finding on the member', async () => {
    const scanner = new Scanner({
      readers: [fakeZipLike],
      limits: { maxDepth: 0 },
    });
    const result = await scanner.scanBytes(Buffer.from('C\nC'), 'outer.zip');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      ruleId: 'SCAN-LIMIT',
      location: { path: 'outer.zip', entry: ['m0'] },
    });
  });

  it('skips ignored paths, and inside VCS/dependency folders scans only model files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlgov-'));
    await mkdir(join(dir, '.git', 'objects'), { recursive: true });
    await mkdir(join(dir, 'vendor'));
    await writeFile(join(dir, '.git', 'objects', 'ab12'), 'X');
    await writeFile(join(dir, '.git', 'x.pt'), 'X');
    await writeFile(join(dir, 'vendor', 'y.pt'), 'X');
    await writeFile(join(dir, 'z.pt'), 'X');
    const result = await new Scanner({ readers: [thrower] }).scanPath(dir, {
      ignore: ['vendor/**'],
    });
    expect(result.files.map(f => f.path)).toEqual(['.git/x.pt', 'z.pt']);
  });

  it('keeps the fingerprint when only the byte offset changes', async () => {
    const base = {
      ruleId: 'PICKLE-EXEC',
      key: 'os.system',
      location: { path: 'a.pkl', offset: 10 },
    };
    expect(fingerprintOf(base)).toBe(
      fingerprintOf({ ...base, location: { path: 'a.pkl', offset: 999 } }),
    );
    expect(fingerprintOf(base)).not.toBe(
      fingerprintOf({ ...base, key: 'os.popen' }),
    );
  });

  it('scans files concurrently but reports them in listing order, the same on every run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlgov-order-'));
    // Slow readers first: a reader that waits longer for earlier files makes later ones finish first.
    const count = FILE_CONCURRENCY * 3;
    const slowFirst: FormatReader = {
      id: 'test-slow-first',
      priority: 1,
      sniff: head => head[0] === 0x53, // 'S'
      async read(input, ctx) {
        const index = Number(
          Buffer.from(await input.source.read(1, 8)).toString('utf8'),
        );
        await new Promise(resolve => setTimeout(resolve, (count - index) * 2));
        ctx.emit({
          ruleId: 'SCAN-ERROR',
          message: `seen ${index}`,
          location: input.location,
          evidence: {},
          key: 'seen',
        });
        ctx.addComponent({
          type: 'file',
          name: input.name,
          path: input.location.path,
        });
      },
    };
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `f${String(i).padStart(3, '0')}.bin`;
      names.push(name);
      // One file larger than the small-file threshold goes the windowed way.
      const body = `S${String(i).padStart(8, '0')}`;
      await writeFile(
        join(dir, name),
        i === 5 ? body.padEnd(SMALL_FILE_BYTES + 10, ' ') : body,
      );
    }
    const scan = () => new Scanner({ readers: [slowFirst] }).scanPath(dir);
    const first = await scan();
    const second = await scan();
    expect(first.files.map(f => f.path)).toEqual(names);
    expect(first.findings.map(f => f.message)).toEqual(
      names.map((_, i) => `seen ${i}`),
    );
    expect(first.components.map(c => c.name)).toEqual(names);
    expect(second.findings.map(f => f.fingerprint)).toEqual(
      first.findings.map(f => f.fingerprint),
    );
    // Small files: one whole read. The large one: only the head the engine and reader asked for.
    const small = first.files.filter(f => f.size <= SMALL_FILE_BYTES);
    expect(small.map(f => f.bytesRead)).toEqual(small.map(f => f.size));
    expect(first.files[5].bytesRead).toBeLessThan(first.files[5].size / 10);
  });
});
