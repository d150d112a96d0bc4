import { Scanner } from '../../../engine/Scanner';
import { tensorflowReader } from './reader';
import {
  message,
  type ProtoMessage,
} from '../protobuf/__testUtils__/ProtoWriter';
import { assertReaderIsRobust } from '../common/__testUtils__/fuzzReader';
import { osSystemPickle } from '../common/__testUtils__/payloads';
import { pickleReader } from '../../pickle/pickleReader';

const scan = (bytes: Uint8Array, name = 'saved_model.pb') =>
  new Scanner({ readers: [tensorflowReader] }).scanBytes(bytes, name);

const node = (
  name: string,
  op: string,
  attrs: Record<string, string[]> = {},
) => {
  const m = message().bytes(1, name).bytes(2, op);
  for (const [key, values] of Object.entries(attrs)) {
    const list = message();
    values.forEach(v => list.bytes(2, v));
    m.bytes(5, message().bytes(1, key).bytes(2, message().bytes(1, list)));
  }
  return m;
};
const fn = (name: string, ...nodes: ProtoMessage[]) => {
  const f = message().bytes(1, message().bytes(1, name));
  nodes.forEach(n => f.bytes(3, n));
  return f;
};
function savedModel(
  graphNodes: ProtoMessage[],
  functions: ProtoMessage[] = [],
  assets: string[] = [],
) {
  const graph = message();
  graphNodes.forEach(n => graph.bytes(1, n));
  const library = message();
  functions.forEach(f => library.bytes(1, f));
  graph.bytes(2, library);
  const meta = message()
    .bytes(1, message().bytes(4, 'serve').bytes(5, '2.15.0'))
    .bytes(2, graph);
  assets.forEach(a => meta.bytes(6, message().bytes(2, a)));
  return message().varint(1, 1).bytes(2, meta).toBytes();
}

/** What a TF2 SavedModel really contains: the saver in traced functions, variables, calls. */
const BENIGN = savedModel(
  [
    node('saver_filename', 'Placeholder'),
    node('StatefulPartitionedCall_1', 'StatefulPartitionedCall'),
    node('dense/kernel', 'VarHandleOp'),
  ],
  [
    fn(
      '__inference__traced_save_1234',
      node('SaveV2', 'SaveV2'),
      node('MergeV2Checkpoints', 'MergeV2Checkpoints'),
      node('ShardedFilename', 'ShardedFilename'),
    ),
    fn('__inference__traced_restore_1235', node('RestoreV2', 'RestoreV2')),
    fn(
      '__inference_serving_default_99',
      node('MatMul', 'MatMul'),
      node('Relu', 'Relu'),
    ),
  ],
  ['vocab.txt'],
);

describe('TensorFlow SavedModel reader', () => {
  it('passes an ordinary SavedModel, saver included, and records its version', async () => {
    const result = await scan(BENIGN);
    expect(result.findings).toEqual([]);
    expect(result.components[0].properties).toMatchObject({
      'tensorflow.version': '2.15.0',
      'tensorflow.tags': 'serve',
    });
  });

  it('blocks Python callbacks, naming the op and nodes', async () => {
    const result = await scan(
      savedModel(
        [],
        [
          fn(
            '__inference_call_7',
            node('py', 'EagerPyFunc'),
            node('py2', 'PyFunc'),
          ),
        ],
      ),
    );
    expect(
      result.findings.map(f => [f.ruleId, f.severity, f.evidence.opcode]),
    ).toEqual([
      ['MODEL-TF-PYTHON-OP', 'critical', 'EagerPyFunc'],
      ['MODEL-TF-PYTHON-OP', 'critical', 'PyFunc'],
    ]);
    expect(result.findings[0].evidence.nodes).toEqual([
      '__inference_call_7/py',
    ]);
  });

  it('flags file access in the serving graph: ReadFile high, WriteFile critical', async () => {
    const result = await scan(
      savedModel([node('read', 'ReadFile'), node('write', 'WriteFile')]),
    );
    expect(result.findings.map(f => [f.evidence.opcode, f.severity])).toEqual([
      ['ReadFile', 'high'],
      ['WriteFile', 'critical'],
    ]);
  });

  it('flags checkpoint ops outside the saver and debug ops writing to files', async () => {
    const result = await scan(
      savedModel([
        node('sneaky/RestoreV2', 'RestoreV2'),
        node('dbg', 'DebugIdentity', { debug_urls: ['file:///tmp/dump'] }),
        node('ok_dbg', 'DebugIdentity', {
          debug_urls: ['grpc://localhost:6064'],
        }),
      ]),
    );
    expect(result.findings.map(f => f.evidence.opcode)).toEqual([
      'RestoreV2',
      'DebugIdentity',
    ]);
    expect(result.findings[1].evidence.target).toBe('file:///tmp/dump');
  });

  it('flags asset files outside the model folder', async () => {
    const result = await scan(savedModel([], [], ['../../etc/passwd']));
    expect(result.findings.map(f => [f.ruleId, f.evidence.location])).toEqual([
      ['MODEL-TF-FILE-OP', '../../etc/passwd'],
    ]);
  });

  it('reads frozen graphs too', async () => {
    const graph = message().bytes(1, node('load', 'ReadFile')).toBytes();
    expect(
      (await scan(graph, 'frozen_inference_graph.pb')).findings.map(
        f => f.evidence.opcode,
      ),
    ).toEqual(['ReadFile']);
  });

  it('checks Keras layer metadata in keras_metadata.pb', async () => {
    const lambda = JSON.stringify({
      name: 'lambda',
      class_name: 'Lambda',
      config: {
        name: 'lambda',
        function: ['4wEAAAA=', null, null],
        function_type: 'lambda',
      },
    });
    const bytes = message()
      .bytes(
        1,
        message()
          .varint(2, 1)
          .bytes(3, 'root.layer-1')
          .bytes(4, '_tf_keras_layer')
          .bytes(5, lambda),
      )
      .toBytes();
    const result = await scan(bytes, 'keras_metadata.pb');
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['MODEL-KERAS-LAMBDA', 'critical'],
    ]);
  });

  it('reports broken wire data as malformed', async () => {
    const result = await scan(
      Buffer.concat([BENIGN, Buffer.from([0x12, 0x80])]),
    );
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['MODEL-MALFORMED', 'high'],
    ]);
  });

  it('turns a graph with too many fields into a scan limit, not a parse error', async () => {
    const graph = message();
    for (let i = 0; i < 2000; i++) graph.bytes(1, node(`n${i}`, 'Relu'));
    const bytes = message().bytes(2, message().bytes(2, graph)).toBytes();
    const result = await new Scanner({
      readers: [tensorflowReader],
      limits: { maxHeaderBytes: 1000 },
    }).scanBytes(bytes, 'saved_model.pb');
    expect(result.findings.map(f => [f.ruleId, f.evidence.limit])).toEqual([
      ['SCAN-LIMIT', 'maxHeaderBytes'],
    ]);
  });

  it.each([
    ['saved_model.pb', 2],
    ['keras_metadata.pb', 2],
    ['frozen_graph.pb', 2],
    ['frozen_graph.pb', 0],
  ] as const)(
    'reports a pickle named %s (protocol %i) as disguised and hands it to the pickle reader',
    async (name, protocol) => {
      const result = await new Scanner({
        readers: [tensorflowReader, pickleReader],
      }).scanBytes(osSystemPickle(protocol), name);
      const byRule = new Map(result.findings.map(f => [f.ruleId, f]));
      expect(byRule.get('MODEL-DISGUISED')?.severity).toBe('high');
      expect(byRule.get('PICKLE-EXEC')?.evidence.symbol).toBe('os.system');
      expect(byRule.get('PICKLE-EXEC')?.location.entry).toEqual([
        `${name}#content`,
      ]);
    },
  );

  it('does not call a valid SavedModel disguised', async () => {
    const result = await scan(BENIGN);
    expect(result.findings).toEqual([]);
  });

  it('never throws on arbitrary or mutated input', async () => {
    await expect(
      assertReaderIsRobust(tensorflowReader, 'saved_model.pb', [BENIGN]),
    ).resolves.toBeUndefined();
  });
});
