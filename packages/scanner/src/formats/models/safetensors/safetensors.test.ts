import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scanner } from '../../../engine/Scanner';
import type { FormatReader } from '../../../engine/FormatReader';
import { safetensorsReader } from './reader';
import { validateSafetensorsHeader } from './header';
import { assertReaderIsRobust } from '../common/__testUtils__/fuzzReader';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '..', '__fixtures__', name));
const scan = (
  bytes: Uint8Array,
  name = 'model.safetensors',
  readers: FormatReader[] = [safetensorsReader],
) => new Scanner({ readers }).scanBytes(bytes, name);

/** Builds a safetensors file from a header (object or raw text) and a data region size. */
function safetensors(header: object | string, dataBytes: number): Buffer {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(text)));
  return Buffer.concat([prefix, Buffer.from(text), Buffer.alloc(dataBytes)]);
}

const f32 = (shape: number[], begin: number, end: number) => ({
  dtype: 'F32',
  shape,
  data_offsets: [begin, end],
});

describe('safetensors reader', () => {
  it('gives a valid file no finding at all (corpus file)', async () => {
    const result = await scan(fixture('model.safetensors'));
    expect(result.findings).toEqual([]);
    expect(result.components[0].properties).toMatchObject({
      format: 'safetensors',
      tensors: '1',
      'safetensors.metadata.format': 'pt',
    });
  });

  it('blocks a header length far beyond the file size (corpus file)', async () => {
    const result = await scan(
      fixture('safetensors_bad_header.safetensors'),
      'safetensors_bad_header.safetensors',
    );
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['MODEL-SAFETENSORS-INVALID', 'high'],
    ]);
    expect(result.findings[0].message).toContain('beyond the file size');
  });

  it('accepts sub-byte dtypes, empty tensors and trailing header spaces', async () => {
    const header = JSON.stringify({
      a: { dtype: 'F4', shape: [2, 3], data_offsets: [0, 3] },
      e: f32([0, 5], 3, 3),
    });
    expect((await scan(safetensors(`${header}    `, 3))).findings).toEqual([]);
  });

  it('reads only the prefix and the header of a large file', async () => {
    const bytes = safetensors(
      { w: f32([1024, 1024], 0, 4 * 1024 * 1024) },
      4 * 1024 * 1024,
    );
    const result = await scan(bytes);
    expect(result.findings).toEqual([]);
    expect(result.files[0].bytesRead).toBeLessThan(8 * 1024);
  });

  it.each([
    [
      'duplicate keys',
      '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
      4,
      'appears more than once',
    ],
    [
      'overlapping tensors',
      { a: f32([2], 0, 8), b: f32([2], 4, 12) },
      12,
      'overlap',
    ],
    [
      'a gap between tensors',
      { a: f32([1], 0, 4), b: f32([1], 8, 12) },
      12,
      'unaccounted bytes',
    ],
    [
      'bytes after the last tensor',
      { a: f32([1], 0, 4) },
      100,
      'after the last tensor',
    ],
    [
      'data beyond the end of file',
      { a: f32([4], 0, 16) },
      8,
      'data region holds only',
    ],
    ['a size that does not match the shape', { a: f32([3], 0, 8) }, 8, 'needs'],
    [
      'a shape whose product overflows 64 bits',
      { a: f32([2 ** 40, 2 ** 40], 0, 0) },
      0,
      'needs',
    ],
    ['a negative dimension', { a: f32([-1], 0, 4) }, 4, 'non-negative'],
    [
      'an unknown dtype',
      { a: { dtype: 'OBJECT', shape: [1], data_offsets: [0, 4] } },
      4,
      'unknown dtype',
    ],
    [
      'non-string metadata',
      { __metadata__: { format: { nested: 'x' } }, a: f32([1], 0, 4) },
      4,
      '__metadata__.format',
    ],
    ['a header that is an array', '[1,2]       ', 0, 'does not start'],
    ['a header that is not JSON', '{"a": tru }', 0, 'not valid JSON'],
  ])('flags %s', async (_label, header, dataBytes, expected) => {
    const result = await scan(safetensors(header, dataBytes));
    expect(result.findings.length).toBeGreaterThan(0);
    expect(
      result.findings.every(
        f => f.ruleId === 'MODEL-SAFETENSORS-INVALID' && f.severity === 'high',
      ),
    ).toBe(true);
    expect(result.findings.map(f => f.message).join('\n')).toContain(expected);
  });

  it('reports a pickle named .safetensors as disguised and hands the bytes on to the content readers', async () => {
    const seen: string[] = [];
    const pickleReader: FormatReader = {
      id: 'fake-pickle',
      priority: 100,
      sniff: head => head[0] === 0x80,
      read: async input => {
        seen.push(input.name);
      },
    };
    const pickle = Buffer.from([
      0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x8c, 0x02, 0x6f, 0x73, 0x2e,
    ]);
    const result = await scan(pickle, 'model.safetensors', [
      safetensorsReader,
      pickleReader,
    ]);
    expect(result.findings.map(f => [f.ruleId, f.evidence.looksLike])).toEqual([
      ['MODEL-DISGUISED', 'pickle (protocol 4)'],
    ]);
    expect(seen).toEqual(['model.safetensors#content']);
  });

  it('validates headers as a pure function', () => {
    const header = validateSafetensorsHeader(
      JSON.stringify({ a: f32([2], 0, 8) }),
      8,
    );
    expect(header).toEqual({ tensorCount: 1, metadata: {}, issues: [] });
  });

  it('never throws on arbitrary or mutated input', async () => {
    await expect(
      assertReaderIsRobust(safetensorsReader, 'x.safetensors', [
        fixture('model.safetensors'),
        safetensors({ a: f32([2], 0, 8), __metadata__: { k: 'v' } }, 8),
      ]),
    ).resolves.toBeUndefined();
  });
});
