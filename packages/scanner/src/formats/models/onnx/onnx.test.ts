import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scanner } from '../../../engine/Scanner';
import { onnxReader } from './reader';
import { message } from '../protobuf/__testUtils__/ProtoWriter';
import { assertReaderIsRobust } from '../common/__testUtils__/fuzzReader';
import { osSystemPickle } from '../common/__testUtils__/payloads';
import { pickleReader } from '../../pickle/pickleReader';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '..', '__fixtures__', name));
const scan = (bytes: Uint8Array, name = 'model.onnx') =>
  new Scanner({ readers: [onnxReader] }).scanBytes(bytes, name);

function tensorWithLocation(name: string, location: string) {
  return message()
    .varint(1, 4)
    .varint(2, 1)
    .bytes(8, name)
    .bytes(13, message().bytes(1, 'location').bytes(2, location))
    .varint(14, 1);
}

function model(
  graph: ReturnType<typeof message>,
  extra: (m: ReturnType<typeof message>) => void = () => {},
) {
  const m = message()
    .varint(1, 8)
    .bytes(2, 'pytorch')
    .bytes(3, '2.3.0')
    .bytes(7, graph)
    .bytes(8, message().varint(2, 17));
  extra(m);
  return m.toBytes();
}

describe('ONNX reader', () => {
  it('passes a standard model without findings and records it in the BOM', async () => {
    const result = await scan(fixture('relu.onnx'), 'relu.onnx');
    expect(result.findings).toEqual([]);
    expect(result.components[0].properties).toMatchObject({
      format: 'onnx',
      'onnx.irVersion': '8',
      'onnx.opsets': 'ai.onnx@17',
    });
  });

  it('blocks external data that climbs out of the model folder (corpus file)', async () => {
    const result = await scan(
      fixture('external_traversal.onnx'),
      'external_traversal.onnx',
    );
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      ruleId: 'MODEL-ONNX-EXTERNAL-PATH',
      severity: 'critical',
      evidence: { tensor: 'w', location: '../../../../etc/passwd' },
    });
  });

  it.each([
    ['/etc/shadow', 'absolute path'],
    ['C:\\Windows\\win.ini', 'absolute Windows path'],
    ['weights/../../secrets.bin', '".."'],
    ['..\\..\\boot.ini', '".."'],
    ['file:///etc/passwd', 'URL'],
    ['~/.ssh/id_rsa', 'home directory'],
  ])('flags the external location %s (%s)', async (location, why) => {
    const graph = message().bytes(5, tensorWithLocation('w', location));
    const result = await scan(model(graph));
    expect(result.findings.map(f => f.ruleId)).toEqual([
      'MODEL-ONNX-EXTERNAL-PATH',
    ]);
    expect(result.findings[0].message).toContain(why);
  });

  it('accepts external data stored beside the model', async () => {
    const graph = message()
      .bytes(5, tensorWithLocation('w', 'model.onnx_data'))
      .bytes(5, tensorWithLocation('b', 'weights/b.bin'));
    expect((await scan(model(graph))).findings).toEqual([]);
  });

  it('finds external data in a Constant tensor inside an If branch', async () => {
    const constant = message()
      .bytes(4, 'Constant')
      .bytes(
        5,
        message()
          .bytes(1, 'value')
          .bytes(5, tensorWithLocation('c', '/proc/self/environ')),
      );
    const thenBranch = message().bytes(1, constant).bytes(2, 'then');
    const ifNode = message()
      .bytes(3, 'If_1')
      .bytes(4, 'If')
      .bytes(5, message().bytes(1, 'then_branch').bytes(6, thenBranch));
    const result = await scan(model(message().bytes(1, ifNode)));
    expect(result.findings[0]).toMatchObject({
      ruleId: 'MODEL-ONNX-EXTERNAL-PATH',
      evidence: { tensor: 'c' },
    });
    expect(result.findings[0].evidence.where).toContain('If_1');
  });

  it('names custom operator domains, but not calls to local functions', async () => {
    const custom = message()
      .bytes(3, 'n1')
      .bytes(4, 'EvilOp')
      .bytes(7, 'com.evil.ops');
    const localCall = message()
      .bytes(3, 'n2')
      .bytes(4, 'MyBlock')
      .bytes(7, 'pkg.local');
    const fn = message()
      .bytes(1, 'MyBlock')
      .bytes(10, 'pkg.local')
      .bytes(7, message().bytes(4, 'Relu'));
    const bytes = model(message().bytes(1, custom).bytes(1, localCall), m =>
      m.bytes(25, fn),
    );
    const result = await scan(bytes);
    expect(
      result.findings.map(f => [f.ruleId, f.severity, f.evidence.domain]),
    ).toEqual([['MODEL-ONNX-CUSTOM-DOMAIN', 'medium', 'com.evil.ops']]);
    expect(result.findings[0].message).toContain('EvilOp');
  });

  it('finds custom operators used inside local functions', async () => {
    const fn = message()
      .bytes(1, 'Block')
      .bytes(10, 'pkg.local')
      .bytes(7, message().bytes(4, 'Exec').bytes(7, 'com.backdoor'));
    const result = await scan(model(message(), m => m.bytes(25, fn)));
    expect(result.findings.map(f => f.evidence.domain)).toEqual([
      'com.backdoor',
    ]);
  });

  it('reports nesting beyond the depth cap instead of recursing without end', async () => {
    let graph = message().bytes(1, message().bytes(4, 'Relu'));
    for (let i = 0; i < 40; i++) {
      graph = message().bytes(
        1,
        message()
          .bytes(4, 'Loop')
          .bytes(5, message().bytes(1, 'body').bytes(6, graph)),
      );
    }
    const result = await scan(model(graph));
    expect(result.findings.map(f => f.ruleId)).toEqual(['SCAN-LIMIT']);
  });

  it('reports broken wire data as a malformed model', async () => {
    const bytes = Buffer.concat([
      model(message()),
      Buffer.from([0x3a, 0xff, 0xff, 0x03]),
    ]);
    const result = await scan(bytes);
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['MODEL-MALFORMED', 'high'],
    ]);
  });

  it('does not call a non-ONNX file that merely starts like one malformed', async () => {
    const bytes = Buffer.from([0x08, 0x05, 0x12, 0xff, 0xff, 0xff, 0x0f, 0x00]);
    const result = await scan(bytes, 'weights.bin');
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['SCAN-UNSUPPORTED', 'medium'],
    ]);
  });

  it('skips tensor payloads without reading them', async () => {
    const big = message()
      .varint(1, 1000000)
      .varint(2, 1)
      .bytes(8, 'w')
      .bytes(9, new Uint8Array(4_000_000));
    const result = await scan(model(message().bytes(5, big)));
    expect(result.findings).toEqual([]);
    expect(result.files[0].bytesRead).toBeLessThan(200_000);
  });

  it.each([0, 2] as const)(
    'reports a protocol %i pickle named .onnx as disguised and hands it to the pickle reader',
    async protocol => {
      const result = await new Scanner({
        readers: [onnxReader, pickleReader],
      }).scanBytes(osSystemPickle(protocol), 'model.onnx');
      const disguised = result.findings.find(
        f => f.ruleId === 'MODEL-DISGUISED',
      );
      expect(disguised?.evidence.claimed).toBe('ONNX');
      const exec = result.findings.find(f => f.ruleId === 'PICKLE-EXEC');
      expect(exec?.evidence.symbol).toBe('os.system');
      expect(exec?.location.entry).toEqual(['model.onnx#content']);
    },
  );

  it('does not call a valid model disguised', async () => {
    const result = await scan(fixture('relu.onnx'), 'relu.onnx');
    expect(result.findings.map(f => f.ruleId)).not.toContain('MODEL-DISGUISED');
  });

  it('never throws on arbitrary or mutated input', async () => {
    const fn = message()
      .bytes(1, 'F')
      .bytes(10, 'pkg')
      .bytes(7, message().bytes(4, 'Relu'));
    const sample = model(
      message()
        .bytes(5, tensorWithLocation('w', 'w.bin'))
        .bytes(1, message().bytes(4, 'Op').bytes(7, 'x')),
      m => m.bytes(25, fn),
    );
    await expect(
      assertReaderIsRobust(onnxReader, 'x.onnx', [
        fixture('relu.onnx'),
        fixture('external_traversal.onnx'),
        sample,
      ]),
    ).resolves.toBeUndefined();
  });
});
