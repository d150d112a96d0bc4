/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*"] }] */
/**
 * THREATS.md resource attacks: each must end in SCAN-LIMIT (or the specific rule), never a silent
 * PASS, never a crash, and within a bounded time on a shared 2-core machine.
 */
import {
  PickleWriter,
  buildTar,
  buildZip,
  expectBlocked,
  expectBlockedBy,
  gzip,
  osSystemPickle,
  ruleIds,
  scanBytes,
  type ZipEntrySpec,
} from './__testUtils__/helpers';

const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const started = Date.now();
  const value = await run();
  return [value, Date.now() - started];
};

describe('resource limits', () => {
  it('zip bomb: one deflated member with a 1000:1 ratio next to the payload', async () => {
    const zip = buildZip({
      entries: [
        {
          name: 'blob.bin',
          data: new Uint8Array(20 * 1024 * 1024),
          method: 'deflate',
        },
        { name: 'model.pkl', data: osSystemPickle() },
      ],
    });
    const [result, ms] = await timed(() => scanBytes(zip, 'bundle.zip'));
    expect(ms).toBeLessThan(10_000);
    expectBlockedBy(result, 'ARCHIVE-BOMB');
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });

  it('zip bomb hiding the payload: a bomb member named like the pickle', async () => {
    const bomb = new Uint8Array(30 * 1024 * 1024);
    bomb.set(osSystemPickle(), 0);
    const zip = buildZip({
      entries: [{ name: 'archive/data.pkl', data: bomb, method: 'deflate' }],
    });
    const [result, ms] = await timed(() => scanBytes(zip, 'model.pt'));
    expect(ms).toBeLessThan(10_000);
    expectBlocked(result);
  });

  it('overlapping-entry zip bomb (many central records aliasing one local header)', async () => {
    const entries: ZipEntrySpec[] = [
      { name: 'kernel', data: new Uint8Array(1024 * 1024), method: 'deflate' },
    ];
    // Kept small: each alias is inflated again (see the report), so 2000 aliases cost ~6 s.
    for (let i = 0; i < 300; i++)
      entries.push({ name: `alias${i}`, aliasOf: 'kernel' });
    const [result, ms] = await timed(() =>
      scanBytes(buildZip({ entries }), 'model.zip'),
    );
    expect(ms).toBeLessThan(10_000);
    expectBlocked(result);
    expect(ruleIds(result)).toEqual(
      expect.arrayContaining(['ARCHIVE-ZIP-OVERLAP']),
    );
  });

  it('nesting deeper than maxDepth with the payload at the bottom is SCAN-LIMIT, not PASS', async () => {
    let bytes = osSystemPickle();
    for (let level = 0; level < 8; level++)
      bytes = buildZip({
        entries: [{ name: `level${level}.zip`, data: bytes }],
      });
    const [result, ms] = await timed(() => scanBytes(bytes, 'nested.zip'));
    expect(ms).toBeLessThan(10_000);
    expectBlockedBy(result, 'SCAN-LIMIT');
    expect(
      result.findings.find(f => f.ruleId === 'SCAN-LIMIT')?.evidence.limit,
    ).toBe('maxDepth');
  });

  it('alternating gzip/tar/zip nesting past maxDepth is SCAN-LIMIT', async () => {
    let bytes = osSystemPickle();
    for (let level = 0; level < 4; level++) {
      bytes = gzip(
        buildTar([
          {
            name: `l${level}.zip`,
            data: buildZip({ entries: [{ name: 'inner.bin', data: bytes }] }),
          },
        ]),
      );
    }
    const result = await scanBytes(bytes, 'deep.bin');
    expectBlocked(result);
    expect(ruleIds(result)).toEqual(expect.arrayContaining(['SCAN-LIMIT']));
  });

  it('10 000-entry zip finishes in bounded time and still finds the last member', async () => {
    const entries: ZipEntrySpec[] = [];
    for (let i = 0; i < 10_000; i++)
      entries.push({ name: `shard/${i}.txt`, data: 'x' });
    entries.push({ name: 'shard/last.pkl', data: osSystemPickle() });
    const [result, ms] = await timed(() =>
      scanBytes(buildZip({ entries }), 'many.zip'),
    );
    expect(ms).toBeLessThan(15_000);
    expectBlockedBy(result, 'PICKLE-EXEC', 'os.system');
  });

  it('more members than maxEntries with the payload past the cut is SCAN-LIMIT', async () => {
    const entries: ZipEntrySpec[] = [];
    for (let i = 0; i < 300; i++)
      entries.push({ name: `m/${i}.txt`, data: 'x' });
    entries.push({ name: 'm/payload.pkl', data: osSystemPickle() });
    const result = await scanBytes(buildZip({ entries }), 'many.zip', {
      maxEntries: 100,
    });
    expectBlocked(result);
    expect(
      ruleIds(result).some(
        rule => rule === 'SCAN-LIMIT' || rule === 'PICKLE-EXEC',
      ),
    ).toBe(true);
  });

  it('central directory declaring a 4 GB member that is really 10 bytes', async () => {
    const zip = buildZip({
      entries: [
        {
          name: 'archive/data.pkl',
          data: osSystemPickle(),
          centralUncompressedSize: 0xfffffff0,
        },
      ],
    });
    const [result, ms] = await timed(() => scanBytes(zip, 'model.pt'));
    expect(ms).toBeLessThan(5_000);
    expectBlocked(result);
  });

  it('end record declaring 65 535 entries for a 1-entry zip', async () => {
    const zip = buildZip({
      entries: [{ name: 'a.pkl', data: osSystemPickle() }],
      declaredCount: 0xffff,
    });
    const [result, ms] = await timed(() => scanBytes(zip, 'model.zip'));
    expect(ms).toBeLessThan(5_000);
    expectBlocked(result);
  });

  it('tar entry with a base-256 size of petabytes', async () => {
    const tar = buildTar([
      { name: 'data.pkl', data: osSystemPickle(), base256Size: true },
    ]);
    // Patch the size field to 2^50 bytes.
    const patched = Uint8Array.from(tar);
    patched[124] = 0x80;
    patched.fill(0, 125, 136);
    patched[129] = 0x04;
    let sum = 0;
    for (let i = 0; i < 512; i++)
      sum += i >= 148 && i < 156 ? 0x20 : patched[i];
    patched.set(Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    const [result, ms] = await timed(() => scanBytes(patched, 'model.tar'));
    expect(ms).toBeLessThan(5_000);
    expectBlocked(result);
  });

  it('pickle BINUNICODE8 declaring 2^60 bytes', async () => {
    const bytes = PickleWriter.create()
      .proto(4)
      .raw(0x8d, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x41)
      .stop()
      .bytes();
    const [result, ms] = await timed(() => scanBytes(bytes, 'model.pkl'));
    expect(ms).toBeLessThan(5_000);
    expectBlocked(result);
  });

  it('a pickle longer than maxPickleBytes with the payload after the cut is not passed', async () => {
    const filler = PickleWriter.create()
      .proto(4)
      .binBytes(new Uint8Array(64 * 1024))
      .pop()
      .bytes();
    const bytes = Buffer.concat([
      filler,
      PickleWriter.create().call('os', 'system', 'id').stop().bytes(),
    ]);
    const result = await scanBytes(bytes, 'model.pkl', {
      maxPickleBytes: 16 * 1024,
    });
    expectBlocked(result);
  });

  it('a per-file timeout yields SCAN-LIMIT, not a pass', async () => {
    const w = PickleWriter.create().proto(4);
    for (let i = 0; i < 200_000; i++) w.emptyTuple().pop();
    w.call('os', 'system', 'id').stop();
    const result = await scanBytes(w.bytes(), 'model.pkl', {
      fileTimeoutMs: 1,
    });
    expectBlocked(result);
  });

  it('gzip whose trailer claims 4 GB decompresses within the ratio limit or refuses', async () => {
    const body = gzip(new Uint8Array(40 * 1024 * 1024));
    const [result, ms] = await timed(() => scanBytes(body, 'model.bin'));
    expect(ms).toBeLessThan(10_000);
    expect(ruleIds(result)).toEqual(expect.arrayContaining(['ARCHIVE-BOMB']));
  });
});
