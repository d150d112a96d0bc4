import { buildTar, paxRecord } from '../testing/tarWriter';
import { buildZip } from '../testing/zipWriter';
import { scanArchive } from '../testing/scanHelpers';

describe('tar reader', () => {
  it('hands over regular files as they are, skipping directories', async () => {
    const tar = buildTar([
      { name: 'model/', type: '5' },
      { name: 'model/a.pkl', data: 'alpha' },
      { name: 'model/b.npy', data: 'b'.repeat(700) },
    ]);
    const scan = await scanArchive(tar, 'bundle.tar');
    expect(
      scan.handed.map(m => [m.location.join('!'), m.content.slice(0, 5)]),
    ).toEqual([
      ['model/a.pkl', 'alpha'],
      ['model/b.npy', 'bbbbb'],
    ]);
    expect(scan.result.findings).toEqual([]);
  });

  it('resolves GNU long names, pax paths and base-256 sizes', async () => {
    const long = `${'d'.repeat(120)}/weights.pkl`;
    const tar = buildTar([
      { name: '././@LongLink', type: 'L', data: `${long}\0` },
      { name: 'truncated-name', data: 'long' },
      {
        name: 'PaxHeaders/x',
        type: 'x',
        data: paxRecord('path', 'pax/renamed.pkl'),
      },
      { name: 'ustar-name.pkl', data: 'pax' },
      { name: 'big.bin', data: 'base256', base256Size: true },
    ]);
    const scan = await scanArchive(tar, 'x.tar');
    expect(scan.handedNames).toEqual([long, 'pax/renamed.pkl', 'big.bin']);
    expect(scan.handed.map(m => m.content)).toEqual(['long', 'pax', 'base256']);
  });

  it('labels the legacy PyTorch tar format and scans every member, storages included', async () => {
    const tar = buildTar(
      ['sys_info', 'pickle', 'storages', 'tensors'].map(name => ({
        name,
        data: `\x80\x02${name}`,
      })),
    );
    const scan = await scanArchive(tar, 'old.pt');
    expect(scan.formats).toEqual(['tar', 'pytorch-legacy-tar']);
    // torch's _legacy_load unpickles records inside `storages` and `tensors` too, so they are not skipped.
    expect(scan.handedNames).toEqual([
      'sys_info',
      'pickle',
      'storages',
      'tensors',
    ]);
  });

  it('stops at a bad checksum and reports it', async () => {
    const tar = buildTar([
      { name: 'ok.pkl', data: 'ok' },
      { name: 'evil.pkl', data: 'evil', badChecksum: true },
    ]);
    const scan = await scanArchive(tar, 'x.tar');
    expect(scan.finding('ARCHIVE-TAR-CHECKSUM')).toMatchObject({
      severity: 'high',
      location: { offset: 1024 },
    });
    expect(scan.handedNames).toEqual(['ok.pkl']);
  });

  it('reports traversal names, links and duplicates', async () => {
    const tar = buildTar([
      { name: '../outside.pkl', data: 'x' },
      { name: 'creds', type: '2', linkName: '/home/me/.aws/credentials' },
      { name: 'hard', type: '1', linkName: 'creds' },
      { name: 'dup.pkl', data: 'one' },
      { name: 'dup.pkl', data: 'two' },
    ]);
    const scan = await scanArchive(tar, 'x.tar');
    expect(scan.rules).toEqual([
      'ARCHIVE-DUPLICATE',
      'ARCHIVE-LINK',
      'ARCHIVE-PATH-TRAVERSAL',
    ]);
    expect(
      scan.result.findings
        .filter(f => f.ruleId === 'ARCHIVE-LINK')
        .map(f => f.evidence.target),
    ).toEqual(['/home/me/.aws/credentials', 'creds']);
    expect(
      scan.handed.filter(m => m.name === 'dup.pkl').map(m => m.content),
    ).toEqual(['one', 'two']);
  });

  it('reports data after the end-of-archive marker and truncated archives', async () => {
    const appended = await scanArchive(
      buildTar([{ name: 'a', data: 'a' }], {
        suffix: Buffer.from('hidden pickle'),
      }),
      'x.tar',
    );
    expect(appended.finding('ARCHIVE-POLYGLOT')?.evidence).toMatchObject({
      bytes: 13,
    });
    const full = buildTar([{ name: 'a', data: 'a'.repeat(2000) }], {
      omitEnd: true,
    });
    const truncated = await scanArchive(full.subarray(0, 1000), 'x.tar');
    expect(truncated.finding('ARCHIVE-STRUCT')?.message).toMatch(
      /beyond the end of the file/,
    );
  });

  it('stops at maxEntries with SCAN-LIMIT', async () => {
    const tar = buildTar(
      Array.from({ length: 4 }, (_, i) => ({ name: `m${i}`, data: `${i}` })),
    );
    const scan = await scanArchive(tar, 'x.tar', { maxEntries: 2 });
    expect(scan.finding('SCAN-LIMIT')?.evidence).toMatchObject({
      limit: 'maxEntries',
    });
    expect(scan.handedNames).toEqual(['m0', 'm1']);
  });

  it('is reached inside a zip', async () => {
    const zip = buildZip({
      entries: [
        {
          name: 'inner.tar',
          data: buildTar([{ name: 'p.pkl', data: 'p' }]),
          method: 'deflate',
        },
      ],
    });
    const scan = await scanArchive(zip, 'x.zip');
    expect(scan.handedNames).toEqual(['inner.tar!p.pkl']);
  });
});
