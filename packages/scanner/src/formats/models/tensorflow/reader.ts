import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { ProtoError } from '../protobuf/wire';
import { protoReaderFor } from '../protobuf/walkLimits';
import { signalAt } from '../common/signals';
import { foreignMagic, reportDisguise } from '../common/disguise';
import { modelComponent } from '../common/component';
import { tryParseJson } from '../common/boundedJson';
import { externalLocationEscape } from '../common/paths';
import { reportKerasConfig } from '../keras/report';
import { judgeOp, type NodeContext } from './graphOps';
import {
  readKerasMetadata,
  walkFrozenGraph,
  walkSavedModel,
  type GraphSummary,
} from './savedModel';

type TensorflowFile = 'saved-model' | 'keras-metadata' | 'frozen-graph';

function kindOf(name: string): TensorflowFile | undefined {
  const lower = name.toLowerCase();
  if (lower === 'saved_model.pb') return 'saved-model';
  if (lower === 'keras_metadata.pb') return 'keras-metadata';
  if (lower.endsWith('.pb')) return 'frozen-graph';
  return undefined;
}

/**
 * TensorFlow protobufs, recognised by name (protobuf has no magic): `saved_model.pb`, the Keras
 * `keras_metadata.pb` beside it, and frozen `*.pb` graphs. Flags ops that run Python or touch
 * files, asset paths that leave the model folder, and Keras layer metadata like the Keras reader.
 */
export const tensorflowReader: FormatReader = {
  id: 'tensorflow',
  priority: 20,
  sniff: (_head, name) => kindOf(name) !== undefined,
  async read(input: ReaderInput, ctx: ReaderContext) {
    const kind = kindOf(input.name)!;
    ctx.setFormat(kind === 'keras-metadata' ? 'keras-metadata' : 'tensorflow');
    // Claimed by name only, yet pickle.load / torch.load open a pickle or zip called `.pb` all the
    // same: the reader of the real content must see it and name the payload. Done before the walk,
    // so a walk that runs into a limit cannot prevent it.
    const foreign = foreignMagic(input.head);
    if (foreign === 'certain')
      await reportDisguise(input, ctx, 'TensorFlow protobuf');
    const parsed = await readTensorflow(input, ctx, kind);
    if (!parsed && foreign === 'weak')
      await reportDisguise(input, ctx, 'TensorFlow protobuf');
  },
};

/** Walks the protobuf and reports what it finds; false when it is not valid protobuf. */
async function readTensorflow(
  input: ReaderInput,
  ctx: ReaderContext,
  kind: TensorflowFile,
): Promise<boolean> {
  const reader = protoReaderFor(input.source, ctx);
  try {
    if (kind === 'keras-metadata') {
      for (const { nodePath, json } of await readKerasMetadata(
        reader,
        ctx.limits.maxTextBytes,
      )) {
        const metadata = tryParseJson(json);
        if (metadata !== undefined)
          reportKerasConfig(
            input,
            ctx,
            metadata,
            `keras_metadata:${nodePath || 'root'}`,
          );
      }
      return true;
    }
    const flagged = new Map<string, NodeContext[]>();
    const visit = (node: NodeContext) => {
      if (!judgeOp(node)) return;
      const list = flagged.get(node.op) ?? [];
      if (list.length < 20) list.push(node);
      flagged.set(node.op, list);
    };
    const summary =
      kind === 'saved-model'
        ? await walkSavedModel(reader, visit)
        : await walkFrozenGraph(reader, visit);
    reportOps(input, ctx, flagged);
    reportAssets(input, ctx, summary);
    ctx.addComponent(tensorflowComponent(input, summary));
    return true;
  } catch (error) {
    if (!(error instanceof ProtoError)) throw error;
    ctx.emit(
      signalAt(
        input,
        'MODEL-MALFORMED',
        `Not a valid TensorFlow protobuf: ${error.message}`,
        'tensorflow:wire',
        { format: kind },
        {
          // A `.pb` that is not a graph may simply be another protobuf; the well-known names may not.
          severity: kind === 'frozen-graph' ? 'medium' : undefined,
        },
      ),
    );
    return false;
  }
}

function reportOps(
  input: ReaderInput,
  ctx: ReaderContext,
  flagged: Map<string, NodeContext[]>,
) {
  for (const [op, nodes] of flagged) {
    const verdict = judgeOp(nodes[0])!;
    const names = nodes.map(n => (n.fn ? `${n.fn}/${n.node}` : n.node));
    ctx.emit(
      signalAt(
        input,
        verdict.ruleId,
        `${op} ${verdict.why}: ${names.slice(0, 5).join(', ')}${
          names.length > 5 ? ` and ${names.length - 5} more` : ''
        }`,
        op,
        {
          opcode: op,
          nodes: names,
          ...(nodes[0].fileAttributes.length
            ? { target: nodes[0].fileAttributes[0].slice(0, 200) }
            : {}),
        },
        { severity: verdict.severity },
      ),
    );
  }
}

function reportAssets(
  input: ReaderInput,
  ctx: ReaderContext,
  summary: GraphSummary,
) {
  for (const filename of summary.assetFiles) {
    const escape = externalLocationEscape(filename);
    if (!escape) continue;
    ctx.emit(
      signalAt(
        input,
        'MODEL-TF-FILE-OP',
        `Asset file "${filename.slice(
          0,
          200,
        )}" ${escape}: loading reads a file outside the model folder`,
        `asset:${filename}`,
        {
          location: filename.slice(0, 200),
        },
      ),
    );
  }
}

function tensorflowComponent(input: ReaderInput, summary: GraphSummary) {
  const properties: Record<string, string> = {
    'tensorflow.nodes': String(summary.nodes),
  };
  if (summary.tensorflowVersion)
    properties['tensorflow.version'] = summary.tensorflowVersion;
  if (summary.tags.length)
    properties['tensorflow.tags'] = summary.tags.join(',');
  return modelComponent(input, 'tensorflow-savedmodel', properties);
}
