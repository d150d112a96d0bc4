import { deflateRawSync } from 'node:zlib';
import {
  buildZip,
  pytorchZipSpec,
  type ZipEntrySpec,
} from '../testing/zipWriter';
import { scanArchive } from '../testing/scanHelpers';

const PICKLE = Buffer.from('\x80\x02}q\x00.', 'latin1');
const UNIX_SYMLINK = {
  versionMadeBy: 0x0314,
  externalAttributes: (0o120777 << 16) >>> 0,
};

describe('zip reader', () => {
  describe('PyTorch layout', () => {
    it('hands over data.pkl and version, records storages without reading them, and raises nothing', async () => {
      const zip = buildZip(
        pytorchZipSpec(PICKLE, [
          { name: '0', data: new Uint8Array(4096).fill(7) },
          { name: '1', data: 'x'.repeat(100) },
        ]),
      );
      const scan = await scanArchive(zip, 'model.pt');
      expect(scan.handedNames).toEqual(['archive/data.pkl', 'archive/version']);
      expect(scan.result.findings).toEqual([]);
      expect(scan.formats).toEqual(['zip', 'pytorch-zip']);
      expect(scan.result.components[0].properties).toMatchObject({
        format: 'pytorch-zip',
        tensorStorages: '2',
        tensorStorageBytes: '4196',
      });
    });

    it('accepts any top folder name and PyTorch-style alignment padding with data descriptors', async () => {
      const padding = Buffer.concat([
        Buffer.from([0x46, 0x42, 10, 0]),
        Buffer.alloc(10, 0x5a),
      ]);
      const zip = buildZip({
        entries: [
          {
            name: 'my_model/data.pkl',
            data: PICKLE,
            localExtra: padding,
            dataDescriptor: true,
          },
          {
            name: 'my_model/data/0',
            data: 'tensor bytes',
            localExtra: padding,
            dataDescriptor: true,
          },
          { name: 'my_model/byteorder', data: 'little', dataDescriptor: true },
          { name: 'my_model/.data/version', data: '3\n', dataDescriptor: true },
        ],
      });
      const scan = await scanArchive(zip, 'weights.bin');
      expect(scan.handedNames).toEqual([
        'my_model/data.pkl',
        'my_model/byteorder',
        'my_model/.data/version',
      ]);
      expect(scan.result.findings).toEqual([]);
    });

    it('labels TorchScript archives, hands over their code and constants.pkl, and records code-on-load as info once its code is analysed', async () => {
      const zip = buildZip({
        entries: [
          { name: 'm/data.pkl', data: PICKLE },
          { name: 'm/constants.pkl', data: PICKLE },
          { name: 'm/constants/0', data: 'raw' },
          {
            name: 'm/code/__torch__.py',
            data: 'def forward(self, x):\n  return x\n',
          },
          { name: 'm/code/__torch__.py.debug_pkl', data: PICKLE },
          { name: 'm/version', data: '3' },
        ],
      });
      const scan = await scanArchive(zip, 'scripted.pt');
      expect(scan.formats).toContain('torchscript');
      expect(scan.handedNames).toEqual([
        'm/data.pkl',
        'm/constants.pkl',
        'm/code/__torch__.py',
        'm/code/__torch__.py.debug_pkl',
        'm/version',
      ]);
      expect(scan.rules).toEqual(['ARCHIVE-TORCHSCRIPT']);
      expect(scan.finding('ARCHIVE-TORCHSCRIPT')?.severity).toBe('info');
    });

    it('reads a storage member whose local header carries another name', async () => {
      const zip = buildZip(
        pytorchZipSpec(PICKLE, [
          { name: '0', data: 'hidden pickle', localName: 'archive/data.pkl' },
        ]),
      );
      const scan = await scanArchive(zip, 'model.pt');
      expect(scan.handedNames).toEqual([
        'archive/data.pkl',
        'archive/data/0',
        'archive/version',
      ]);
      expect(scan.finding('ARCHIVE-ZIP-MISMATCH')).toMatchObject({
        severity: 'high',
        location: { entry: ['archive/data/0'] },
      });
    });

    it('does not treat data/ members as storage when there is no data.pkl beside them', async () => {
      const zip = buildZip({
        entries: [
          { name: 'archive/data/0', data: PICKLE },
          { name: 'archive/version', data: '3' },
        ],
      });
      const scan = await scanArchive(zip);
      expect(scan.handedNames).toEqual(['archive/data/0', 'archive/version']);
    });
  });

  describe('format labels', () => {
    it.each([
      [
        [
          { name: 'a.npy', data: 'x' },
          { name: 'b.npy', data: 'y' },
        ],
        'numpy-npz',
      ],
      [
        [
          { name: 'config.json', data: '{}' },
          { name: 'metadata.json', data: '{}' },
          { name: 'model.weights.h5', data: '' },
        ],
        'keras-v3',
      ],
    ])('recognises %#', async (entries, format) => {
      const scan = await scanArchive(buildZip({ entries }), 'x.zip');
      expect(scan.formats).toEqual(['zip', format]);
      expect(scan.handed).toHaveLength(entries.length);
    });
  });

  describe('members', () => {
    it('inflates deflated members and hands over their content', async () => {
      const zip = buildZip({
        entries: [
          { name: 'inner/model.pkl', data: 'hello pickle', method: 'deflate' },
        ],
      });
      const scan = await scanArchive(zip);
      expect(scan.handed).toEqual([
        {
          name: 'model.pkl',
          location: ['inner/model.pkl'],
          content: 'hello pickle',
        },
      ]);
      expect(scan.result.findings).toEqual([]);
    });

    it('descends into nested archives, keeping the member chain', async () => {
      const inner = buildZip({ entries: [{ name: 'w.npy', data: 'npy' }] });
      const outer = buildZip({
        entries: [{ name: 'nested/inner.npz', data: inner, method: 'deflate' }],
      });
      const scan = await scanArchive(outer);
      expect(scan.handedNames).toEqual(['nested/inner.npz!w.npy']);
      expect(scan.formats).toEqual(['zip', 'numpy-npz']);
    });

    it('reads ZIP64 archives (end records and extra fields)', async () => {
      const zip = buildZip({
        entries: [
          { name: 'a.pkl', data: 'aaa' },
          { name: 'b.pkl', data: 'bbb', method: 'deflate' },
        ],
        zip64: true,
      });
      const scan = await scanArchive(zip);
      expect(scan.handed.map(m => m.content)).toEqual(['aaa', 'bbb']);
      expect(scan.result.findings).toEqual([]);
    });

    it.each([
      ['short', 12],
      ['long', 5000],
    ])('accepts a %s archive comment', async (_label, length) => {
      for (const zip64 of [false, true]) {
        const scan = await scanArchive(
          buildZip({
            entries: [{ name: 'a', data: 'a' }],
            comment: 'c'.repeat(length),
            zip64,
          }),
        );
        expect(scan.result.findings).toEqual([]);
        expect(scan.handed).toHaveLength(1);
      }
    });
  });

  describe('anomalies loaders disagree on', () => {
    it('reports a local name that differs from the central directory name', async () => {
      const zip = buildZip({
        entries: [
          {
            name: 'archive/data.pkl',
            localName: 'archive/evil.pkl',
            data: PICKLE,
          },
        ],
      });
      const scan = await scanArchive(zip);
      const finding = scan.finding('ARCHIVE-ZIP-MISMATCH');
      expect(finding).toMatchObject({
        severity: 'high',
        location: { entry: ['archive/data.pkl'] },
        evidence: { field: 'name', local: 'archive/evil.pkl' },
      });
    });

    it('reports duplicate names and scans every copy', async () => {
      const zip = buildZip({
        entries: [
          { name: 'archive/data.pkl', data: 'first' },
          { name: 'archive/data.pkl', data: 'second' },
        ],
      });
      const scan = await scanArchive(zip);
      expect(scan.finding('ARCHIVE-DUPLICATE')).toMatchObject({
        severity: 'high',
        evidence: { copies: 2 },
      });
      expect(scan.handed.map(m => m.content)).toEqual(['first', 'second']);
    });

    it('grades flag differences: encoding bits block, data-descriptor-only differences are low', async () => {
      const utf8 = await scanArchive(
        buildZip({
          entries: [{ name: 'a.pkl', data: 'a', flags: 0x0800, localFlags: 0 }],
        }),
      );
      expect(utf8.finding('ARCHIVE-ZIP-MISMATCH')).toMatchObject({
        severity: 'high',
        evidence: { field: 'flags' },
      });
      const descriptor = await scanArchive(
        buildZip({
          entries: [{ name: 'a.pkl', data: 'a', flags: 0, localFlags: 0x0008 }],
        }),
      );
      expect(descriptor.finding('ARCHIVE-ZIP-MISMATCH')).toMatchObject({
        severity: 'low',
        evidence: { field: 'flags' },
      });
    });

    it('reports sizes that differ between the headers', async () => {
      const scan = await scanArchive(
        buildZip({
          entries: [{ name: 'a.pkl', data: 'abc', localUncompressedSize: 999 }],
        }),
      );
      expect(scan.finding('ARCHIVE-ZIP-MISMATCH')?.evidence).toMatchObject({
        field: 'uncompressedSize',
        local: '999',
        central: '3',
      });
    });

    it('reports unusual flag bits', async () => {
      const scan = await scanArchive(
        buildZip({ entries: [{ name: 'a.pkl', data: 'a', flags: 0x0020 }] }),
      );
      expect(scan.finding('ARCHIVE-ZIP-FLAGS')).toMatchObject({
        severity: 'medium',
      });
    });

    it.each(['stored', 'deflate'] as const)(
      'reports a CRC mismatch on a %s member and still scans it',
      async method => {
        const scan = await scanArchive(
          buildZip({
            entries: [
              {
                name: 'archive/data.pkl',
                data: 'payload',
                method,
                crc: 0x12345678,
              },
            ],
          }),
        );
        expect(scan.finding('ARCHIVE-ZIP-CRC')).toMatchObject({
          severity: 'high',
          evidence: { expected: '12345678' },
        });
        expect(scan.handed.map(m => m.content)).toEqual(['payload']);
      },
    );

    it('reports content prepended to the zip (a polyglot) and still reads the zip', async () => {
      const zip = buildZip({
        prefix: Buffer.from('PK\x03\x04 hidden prefix bytes'),
        entries: [{ name: 'a.pkl', data: 'a' }],
      });
      const scan = await scanArchive(zip);
      expect(scan.finding('ARCHIVE-POLYGLOT')?.evidence).toMatchObject({
        bytes: 24,
      });
      expect(scan.handed.map(m => m.content)).toEqual(['a']);
    });

    it('reports content appended after the end record', async () => {
      const scan = await scanArchive(
        buildZip({
          entries: [{ name: 'a.pkl', data: 'a' }],
          suffix: Buffer.from('\x80\x02cos\nsystem\n.', 'latin1'),
        }),
      );
      expect(scan.finding('ARCHIVE-POLYGLOT')?.message).toMatch(
        /14 bytes follow the end of the zip/,
      );
    });

    it('reports entries that overlap (two names for the same bytes)', async () => {
      const zip = buildZip({
        entries: [
          { name: 'a.pkl', data: 'shared' },
          { name: 'b.pkl', aliasOf: 'a.pkl' },
        ],
      });
      const scan = await scanArchive(zip);
      expect(scan.finding('ARCHIVE-ZIP-OVERLAP')).toMatchObject({
        severity: 'high',
        evidence: { other: 'a.pkl' },
      });
      expect(scan.finding('ARCHIVE-ZIP-MISMATCH')?.evidence).toMatchObject({
        field: 'name',
      });
    });

    it('reports bytes between entries that no directory record covers', async () => {
      const zip = buildZip({
        entries: [
          { name: 'a', data: 'a' },
          {
            name: 'b',
            data: 'b',
            gapBefore: Buffer.from('PK\x03\x04hidden member'),
          },
        ],
      });
      const scan = await scanArchive(zip);
      expect(scan.finding('ARCHIVE-ZIP-OVERLAP')?.message).toMatch(
        /belong to no central directory entry/,
      );
    });

    it('reports an entry count that disagrees with the directory', async () => {
      const scan = await scanArchive(
        buildZip({
          entries: [
            { name: 'a', data: 'a' },
            { name: 'b', data: 'b' },
          ],
          declaredCount: 1,
        }),
      );
      expect(scan.finding('ARCHIVE-STRUCT')?.evidence).toMatchObject({
        declared: 1,
        actual: 2,
      });
      expect(scan.handed).toHaveLength(2);
    });

    it('reports bytes between the central directory and the end record', async () => {
      const zip = buildZip({ entries: [{ name: 'a', data: 'a' }] });
      const eocdAt = zip.length - 22;
      const spliced = Buffer.concat([
        zip.subarray(0, eocdAt),
        Buffer.from('smuggled'),
        zip.subarray(eocdAt),
      ]);
      const scan = await scanArchive(spliced);
      expect(scan.finding('ARCHIVE-STRUCT')?.message).toMatch(
        /8 bytes between the central directory and the end records/,
      );
      expect(scan.handed).toHaveLength(1);
    });

    it('stops the local-header walk at a member whose size only a data descriptor knows', async () => {
      const zip = buildZip({
        entries: [
          { name: 'a', data: 'a' },
          { name: 'b', data: 'b', dataDescriptor: true },
        ],
        omitDirectory: true,
      });
      const scan = await scanArchive(zip);
      expect(scan.result.findings.map(f => f.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(/walk stopped at b/)]),
      );
      expect(scan.handedNames).toEqual(['a']);
    });

    it.each([
      ['../../etc/cron.d/x', 'parent'],
      ['/etc/passwd', 'absolute'],
      ['C:/Windows/x.dll', 'drive'],
      ['dir\\..\\x', 'backslash'],
      ['data.pkl\u0000.txt', 'nul'],
    ])('reports the unsafe member name %j', async (name, hazard) => {
      const scan = await scanArchive(
        buildZip({ entries: [{ name, data: 'x' }] }),
      );
      expect(
        scan.finding('ARCHIVE-PATH-TRAVERSAL')?.evidence.hazards,
      ).toContain(hazard);
    });

    it('finds every unsafe name among many members, and only those, whatever bytes surround them', async () => {
      // The names pass finds `..` by one search of the whole directory: an occurrence in a binary
      // field (here external attributes of 0x2e2e2e2e) or split across two names must not count.
      const entries: ZipEntrySpec[] = Array.from({ length: 300 }, (_, i) => ({
        name: `archive/data/${i}`,
        data: 'x',
      }));
      entries[0] = { name: '..', data: 'x' };
      entries[17] = { name: 'a/../b', data: 'x' };
      entries[18] = {
        name: 'ends.',
        data: 'x',
        externalAttributes: 0x2e2e2e2e,
      };
      entries[19] = { name: '.starts', data: 'x' };
      entries[150] = {
        name: 'link/..',
        data: '/etc/shadow',
        ...UNIX_SYMLINK,
        flags: 0x0020,
      };
      entries[297] = { name: 'not..a-segment', data: 'x' };
      entries[298] = { name: 'name.with.dots', data: 'x' };
      entries[299] = { name: 'x/..', data: 'x' };
      const scan = await scanArchive(buildZip({ entries }));
      const flagged = (ruleId: string) =>
        scan.result.findings
          .filter(f => f.ruleId === ruleId)
          .map(f => f.location.entry?.[0]);
      expect(flagged('ARCHIVE-PATH-TRAVERSAL')).toEqual([
        '..',
        'a/../b',
        'link/..',
        'x/..',
      ]);
      expect(flagged('ARCHIVE-LINK')).toEqual(['link/..']);
      expect(flagged('ARCHIVE-ZIP-FLAGS')).toEqual(['link/..']);
    });

    it('reports symbolic links', async () => {
      const scan = await scanArchive(
        buildZip({
          entries: [
            { name: 'link', data: '/home/user/.ssh/id_rsa', ...UNIX_SYMLINK },
          ],
        }),
      );
      expect(scan.finding('ARCHIVE-LINK')).toMatchObject({
        severity: 'high',
        location: { entry: ['link'] },
      });
    });
  });

  describe('what cannot be analysed is reported, never skipped', () => {
    it('degrades on encrypted members', async () => {
      const scan = await scanArchive(
        buildZip({
          entries: [
            { name: 'secret.pkl', data: 'ciphertext', flags: 0x0001 },
            { name: 'open.pkl', data: 'plain' },
          ],
        }),
      );
      expect(scan.finding('ARCHIVE-ENCRYPTED')).toMatchObject({
        severity: 'medium',
        location: { entry: ['secret.pkl'] },
      });
      expect(scan.handedNames).toEqual(['open.pkl']);
    });

    it.each([
      [
        'xz (method 95)',
        95,
        0,
        Buffer.from(
          'fd377a585a000004e6d6b4460200210116000000742fe5a30100278004951d000000000000008c05706f736978948c0673797374656d9493948c02696494859452942e00901e0d1f48f677c100014028d4524ae51fb6f37d010000000004595a',
          'hex',
        ),
      ],
      // LZMA (method 14): version, property length 5, the properties, raw data ending in an end marker (flag bit 1).
      [
        'LZMA (method 14)',
        14,
        0x0002,
        Buffer.concat([
          Buffer.from([9, 20, 5, 0]),
          Buffer.from(
            '5d00008000ffffffffffffffff0040010e6f297fcf11a51cd87f3908aa61957a22154ed87d8845e1e3825a659ad235027ffec435adf1ffffed312000',
            'hex',
          ).subarray(0, 5),
          Buffer.from(
            '5d00008000ffffffffffffffff0040010e6f297fcf11a51cd87f3908aa61957a22154ed87d8845e1e3825a659ad235027ffec435adf1ffffed312000',
            'hex',
          ).subarray(13),
        ]),
      ],
    ])(
      'decodes %s members and hands them over',
      async (_label, method, flags, compressed) => {
        const data = Buffer.from(
          '8004951d000000000000008c05706f736978948c0673797374656d9493948c02696494859452942e',
          'hex',
        );
        const scan = await scanArchive(
          buildZip({
            entries: [
              { name: 'archive/data.pkl', data, method, compressed, flags },
            ],
          }),
        );
        expect(scan.handedNames).toEqual(['archive/data.pkl']);
        expect(Buffer.from(scan.handed[0].content, 'latin1')).toEqual(data);
        expect(scan.finding('ARCHIVE-UNSUPPORTED')).toBeUndefined();
      },
    );

    it('grades an encrypted member of a PyTorch checkpoint low: torch.load cannot decrypt it, loading fails', async () => {
      const scan = await scanArchive(
        buildZip({
          entries: [
            { name: 'm/data.pkl', data: PICKLE, flags: 0x0001 },
            { name: 'm/version', data: '3' },
          ],
        }),
      );
      expect(scan.finding('ARCHIVE-ENCRYPTED')).toMatchObject({
        severity: 'low',
        evidence: { loadable: false },
      });
    });

    it('raises the member limit with the archive size and invents no gaps after stopping early', async () => {
      const big = Array.from({ length: 12 }, (_, i) => ({
        name: `m/data/${i}`,
        data: new Uint8Array(20 * 1024),
      }));
      const roomy = await scanArchive(
        buildZip({
          entries: [
            { name: 'm/data.pkl', data: PICKLE },
            { name: 'm/version', data: '3' },
            ...big,
          ],
        }),
        'model.pt',
        { maxEntries: 4 },
      );
      expect(roomy.finding('SCAN-LIMIT')).toBeUndefined();
      const small = Array.from({ length: 30 }, (_, i) => ({
        name: `f${i}.txt`,
        data: 'x',
      }));
      const cut = await scanArchive(buildZip({ entries: small }), 'many.zip', {
        maxEntries: 10,
      });
      expect(cut.finding('SCAN-LIMIT')).toBeDefined();
      expect(cut.finding('ARCHIVE-ZIP-OVERLAP')).toBeUndefined();
    });

    it.each([
      [93, 'zstd'],
      [98, 'PPMd'],
    ])('reports method %i (%s) as unsupported', async (method, label) => {
      const scan = await scanArchive(
        buildZip({ entries: [{ name: 'a.pkl', data: 'compressed?', method }] }),
      );
      expect(scan.finding('ARCHIVE-UNSUPPORTED')?.message).toContain(label);
      expect(scan.handed).toEqual([]);
    });

    it('walks local headers when the central directory is missing', async () => {
      const zip = buildZip({
        entries: [
          { name: 'a.pkl', data: 'first' },
          { name: 'b.pkl', data: 'second', method: 'deflate' },
        ],
        omitDirectory: true,
      });
      const scan = await scanArchive(zip);
      expect(scan.finding('ARCHIVE-STRUCT')?.message).toMatch(
        /No end-of-central-directory/,
      );
      expect(scan.handed.map(m => m.content)).toEqual(['first', 'second']);
    });

    it('reports a truncated member instead of reading past the end', async () => {
      const zip = buildZip({
        entries: [{ name: 'a.pkl', data: 'x'.repeat(1000) }],
      });
      const cut = Buffer.concat([
        zip.subarray(0, 200),
        zip.subarray(zip.length - 22 - 33 - 46 + 0),
      ]);
      const scan = await scanArchive(cut);
      expect(scan.rules).toContain('ARCHIVE-STRUCT');
    });
  });

  describe('limits', () => {
    it('stops at maxEntries with SCAN-LIMIT', async () => {
      const entries = Array.from({ length: 5 }, (_, i) => ({
        name: `m${i}`,
        data: `${i}`,
      }));
      const scan = await scanArchive(buildZip({ entries }), 'x.zip', {
        maxEntries: 3,
      });
      expect(scan.finding('SCAN-LIMIT')?.evidence).toMatchObject({
        limit: 'maxEntries',
      });
      expect(scan.handed).toHaveLength(3);
    });

    it('refuses a ratio bomb without inflating it', async () => {
      const scan = await scanArchive(
        buildZip({
          entries: [
            {
              name: 'bomb.pkl',
              data: new Uint8Array(8 * 1024 * 1024),
              method: 'deflate',
            },
          ],
        }),
      );
      expect(scan.finding('ARCHIVE-BOMB')).toMatchObject({
        severity: 'high',
        location: { entry: ['bomb.pkl'] },
      });
      expect(scan.handed).toEqual([]);
    });

    it('stops a bomb whose header lies about its size at the ratio cap', async () => {
      const zip = buildZip({
        entries: [
          {
            name: 'liar.pkl',
            data: new Uint8Array(8 * 1024 * 1024),
            method: 'deflate',
            centralUncompressedSize: 10,
          },
        ],
      });
      const scan = await scanArchive(zip);
      expect(scan.finding('ARCHIVE-BOMB')?.message).toMatch(
        /expands to more than/,
      );
    });

    it('lets small, highly compressible members through (ratio applies past 1 MiB)', async () => {
      const scan = await scanArchive(
        buildZip({
          entries: [
            {
              name: 'zeros.npy',
              data: new Uint8Array(512 * 1024),
              method: 'deflate',
            },
          ],
        }),
      );
      expect(scan.result.findings).toEqual([]);
    });

    it('enforces maxEntryBytes and maxTotalBytes on decompressed members', async () => {
      const data = Buffer.from(
        Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251),
      );
      const entries = [
        { name: 'a', data, method: 'deflate' as const },
        { name: 'b', data, method: 'deflate' as const },
      ];
      const perEntry = await scanArchive(buildZip({ entries }), 'x.zip', {
        maxEntryBytes: 2000,
      });
      expect(perEntry.result.findings.map(f => f.evidence.limit)).toEqual([
        'maxEntryBytes',
        'maxEntryBytes',
      ]);
      const total = await scanArchive(buildZip({ entries }), 'x.zip', {
        maxTotalBytes: 5000,
      });
      expect(total.handedNames).toEqual(['a']);
      expect(total.finding('SCAN-LIMIT')).toMatchObject({
        location: { entry: ['b'] },
        evidence: { limit: 'maxTotalBytes' },
      });
    });

    it('shares the total budget with nested archives', async () => {
      const data = Buffer.from(
        Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251),
      );
      const inner = buildZip({
        entries: [{ name: 'deep', data, method: 'deflate' }],
      });
      const outer = buildZip({
        entries: [
          { name: 'top', data, method: 'deflate' },
          { name: 'inner.zip', data: inner },
        ],
      });
      const scan = await scanArchive(outer, 'x.zip', { maxTotalBytes: 5000 });
      expect(scan.handedNames).toEqual(['top']);
      expect(scan.finding('SCAN-LIMIT')?.location.entry).toEqual([
        'inner.zip',
        'deep',
      ]);
    });

    it('stops nesting at maxDepth', async () => {
      let zip = buildZip({ entries: [{ name: 'payload.pkl', data: PICKLE }] });
      for (let level = 0; level < 4; level++)
        zip = buildZip({ entries: [{ name: `level${level}.zip`, data: zip }] });
      const scan = await scanArchive(zip, 'x.zip', { maxDepth: 3 });
      expect(scan.finding('SCAN-LIMIT')?.evidence).toMatchObject({
        limit: 'maxDepth',
      });
      expect(scan.handed).toEqual([]);
    });

    it('scans the decodable prefix of a truncated deflate member and reports the damage', async () => {
      const text = Array.from({ length: 4000 }, (_, i) =>
        String.fromCharCode(97 + ((i * 5) % 26)),
      ).join('');
      const whole = deflateRawSync(Buffer.from(text));
      const zip = buildZip({
        entries: [
          {
            name: 'p.pkl',
            data: text,
            method: 'deflate',
            compressed: whole.subarray(0, whole.length - 20),
          },
        ],
      });
      const scan = await scanArchive(zip);
      expect(scan.finding('ARCHIVE-STRUCT')?.message).toMatch(
        /bytes before the damage were scanned/,
      );
      expect(text.startsWith(scan.handed[0].content)).toBe(true);
      expect(scan.handed[0].content.length).toBeGreaterThan(0);
    });

    it('reports a corrupt deflate stream', async () => {
      const zip = buildZip({
        entries: [
          {
            name: 'a.pkl',
            data: 'payload',
            method: 'deflate',
            compressed: Buffer.from([0xff, 0xff, 0xff, 0xff]),
          },
        ],
      });
      const scan = await scanArchive(zip);
      expect(scan.finding('ARCHIVE-STRUCT')?.message).toMatch(/corrupt/);
      expect(scan.handed).toEqual([]);
    });
  });
});
