import { gzipSync } from 'node:zlib';
import { buildTar } from '../testing/tarWriter';
import { scanArchive } from '../testing/scanHelpers';
import { innerName } from './gzipReader';

// `head -c 32M /dev/zero | bzip2 -9`: 46 bytes that expand 700,000-fold.
const BZ2_ZEROS_32MIB = Buffer.from(
  '425a6839314159265359a220a29a010101c000c000000820003080291b680201a20100e2ee48a70a121444145340',
  'hex',
);

// Python: lzma.compress(bytes(32 * 1024 * 1024)), 5016 bytes.
const XZ_ZEROS_32MIB = Buffer.from(
  'fd377a585a000004e6d6b4460200210116000000742fe5a3ffff11016c5d00006ffdffffa3b7ff473e481572396151b89228e6a38607f9eee41e82d32fc53a3c014bb17ec98a8a4d2fa30dd97fa6e38c231153e05918c5758ae277f8b6947f0c6ac0de744964e2e95c53b204d8f7440cab5f0d6d46e9e5c37688b79657acb64de1691d6ffb4b88106c42cb883f5c008fd04eaf262894711f3d8f24e1709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bc4827e6589fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb29fff10012b00ec7353a7fdbeae7c311a9fb78d316e709ea7235fec28cb85d195988a7e2a91f22775f719c006984d98fdd8afd5900fc42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c42553f8f591363105a5b0ee6fc1704d470cd19111aaad601dbaceb127185c5986e9665258bee976ac59e4e55b0508f9c7daadfcfb522b74cd1e5b2042f9dd533df82964093b80cb2a6cdfb53bf0c4bd2e5faa0f3e4b664290130eff1093f8717859f80bcdff9528460fa9fc7cdefb9a302e56c08f85f38381c065c425510f3fb2800eee000600e08e01b9000000003bf7c5c5be5793b60001f326808080105a408a34b1c467fb020000000004595a',
  'hex',
);

describe('xz and lzma reader', () => {
  // Python: lzma.compress(b'pickle bytes') and lzma.compress(b'pickle bytes', format=lzma.FORMAT_ALONE)
  const XZ = Buffer.from(
    'fd377a585a000004e6d6b4460200210116000000742fe5a301000b7069636b6c6520627974657300116ec709b484bd820001240ca618d8d81fb6f37d010000000004595a',
    'hex',
  );
  const LZMA = Buffer.from(
    '5d00008000ffffffffffffffff00381a488dd0b86cac45b13fe9ddd3bc5fffffb71a0000',
    'hex',
  );

  it.each([
    ['model.pkl.xz', XZ, 'xz'],
    ['model.pkl.lzma', LZMA, 'lzma'],
  ])('hands over %s decompressed', async (name, bytes, format) => {
    const scan = await scanArchive(bytes, name);
    expect(scan.handed).toEqual([
      { name: 'model.pkl', location: ['model.pkl'], content: 'pickle bytes' },
    ]);
    expect(scan.formats).toContain(format);
  });

  it.each([
    ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 4])],
    [
      'lzma',
      Buffer.from([
        0x5d, 0, 0, 0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0,
      ]),
    ],
  ])(
    'reports a %s header with no decodable data as corrupt (high), never a pass',
    async (format, bytes) => {
      const scan = await scanArchive(bytes, `model.${format}`);
      expect(scan.finding('ARCHIVE-STRUCT')).toMatchObject({
        severity: 'high',
      });
      expect(scan.handed).toEqual([]);
    },
  );

  it('stops an xz bomb at the ratio cap', async () => {
    const bomb = await scanArchive(XZ_ZEROS_32MIB, 'x.xz');
    expect(bomb.finding('ARCHIVE-BOMB')).toBeDefined();
    expect(bomb.handed).toEqual([]);
  });

  it('scans what precedes a truncation and reports the damage', async () => {
    const scan = await scanArchive(
      LZMA.subarray(0, LZMA.length - 3),
      'x.pkl.lzma',
    );
    expect(scan.result.findings.map(f => f.ruleId)).toContain('ARCHIVE-STRUCT');
  });
});

describe('bzip2 reader', () => {
  // `printf 'pickle bytes' | bzip2 -9`
  const PICKLE_BYTES_BZ2 = Buffer.from(
    '425a6839314159265359e34c338e000004118040001a2c4c2020003100d34d040062545e91c084bc5dc914e142438d30ce38',
    'hex',
  );

  it('hands over the decompressed content under the name without .bz2', async () => {
    const scan = await scanArchive(PICKLE_BYTES_BZ2, 'model.pkl.bz2');
    expect(scan.handed).toEqual([
      { name: 'model.pkl', location: ['model.pkl'], content: 'pickle bytes' },
    ]);
    expect(scan.formats).toEqual(['bzip2']);
  });

  it('stops a bomb at the ratio cap instead of expanding it', async () => {
    const bomb = await scanArchive(BZ2_ZEROS_32MIB, 'x.bz2');
    expect(bomb.finding('ARCHIVE-BOMB')).toBeDefined();
    expect(bomb.handed).toEqual([]);
  });

  it('reports a corrupt stream instead of passing it', async () => {
    const corrupt = Buffer.from(PICKLE_BYTES_BZ2);
    corrupt[20] ^= 0xff;
    const scan = await scanArchive(corrupt, 'x.bz2');
    expect(scan.result.findings.length).toBeGreaterThan(0);
  });
});

describe('gzip reader', () => {
  it('hands over the decompressed content under the name without .gz', async () => {
    const scan = await scanArchive(
      gzipSync(Buffer.from('pickle bytes')),
      'model.pkl.gz',
    );
    expect(scan.handed).toEqual([
      { name: 'model.pkl', location: ['model.pkl'], content: 'pickle bytes' },
    ]);
    expect(scan.result.findings).toEqual([]);
  });

  it('reads every member of a multi-member stream', async () => {
    const scan = await scanArchive(
      Buffer.concat([
        gzipSync(Buffer.from('first ')),
        gzipSync(Buffer.from('second')),
      ]),
      'x.gz',
    );
    expect(scan.handed[0].content).toBe('first second');
  });

  it('opens a .tgz down to its members', async () => {
    const scan = await scanArchive(
      gzipSync(buildTar([{ name: 'w.pkl', data: 'w' }])),
      'bundle.tgz',
    );
    expect(scan.handedNames).toEqual(['bundle.tar!w.pkl']);
    expect(scan.formats).toEqual(['gzip', 'tar']);
  });

  it('refuses bombs and reports corrupt streams', async () => {
    const bomb = await scanArchive(
      gzipSync(new Uint8Array(16 * 1024 * 1024)),
      'x.gz',
    );
    expect(bomb.finding('ARCHIVE-BOMB')).toBeDefined();
    expect(bomb.handed).toEqual([]);
    const corrupt = gzipSync(Buffer.from('some content that is long enough'));
    corrupt[12] ^= 0xff;
    expect(
      (await scanArchive(corrupt, 'x.gz')).finding('ARCHIVE-STRUCT'),
    ).toBeDefined();
  });

  it('scans what precedes trailing garbage or a truncation, and reports the damage', async () => {
    const member = gzipSync(Buffer.from('\x80\x02cos\nsystem\n.', 'latin1'));
    const trailing = await scanArchive(
      Buffer.concat([member, Buffer.from('not gzip at all')]),
      'x.pkl.gz',
    );
    expect(trailing.handed[0].content).toBe('\x80\x02cos\nsystem\n.');
    expect(trailing.finding('ARCHIVE-STRUCT')?.message).toMatch(
      /15 bytes after the last gzip member/,
    );
    const big = gzipSync(
      Buffer.from(
        Array.from({ length: 5000 }, (_, i) =>
          String.fromCharCode(65 + ((i * 7) % 26)),
        ).join(''),
      ),
    );
    const truncated = await scanArchive(
      big.subarray(0, big.length - 40),
      'x.gz',
    );
    expect(truncated.handed[0].content).toMatch(/^AHO/);
    expect(truncated.finding('ARCHIVE-STRUCT')).toBeDefined();
  });

  it('names inner content sensibly', () => {
    expect(innerName('a.tgz')).toBe('a.tar');
    expect(innerName('a.joblib.GZ')).toBe('a.joblib');
    expect(innerName('blob')).toBe('blob.decompressed');
  });
});

describe('containers we cannot decompress', () => {
  it.each([
    ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0])],
    ['lz4', Buffer.from([0x04, 0x22, 0x4d, 0x18, 0, 0])],
    ['7z', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4])],
    ['rar', Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1')],
  ])(
    'reports %s as ARCHIVE-UNSUPPORTED (high), never a pass',
    async (format, bytes) => {
      const scan = await scanArchive(bytes, `model.${format}`);
      expect(scan.finding('ARCHIVE-UNSUPPORTED')).toMatchObject({
        severity: 'high',
        evidence: { format },
      });
      expect(scan.formats).toContain(format);
    },
  );

  it('does not claim text that merely starts with BZh', async () => {
    const scan = await scanArchive(
      Buffer.from('BZh is how bzip2 files start'),
      'notes.txt',
    );
    expect(scan.rules).toEqual([]);
  });
});
