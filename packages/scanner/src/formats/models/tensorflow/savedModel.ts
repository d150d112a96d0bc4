import { WireType, type ProtoField, type ProtoReader } from '../protobuf/wire';
import type { NodeContext } from './graphOps';

/** Field numbers from tensorflow/core/protobuf/{saved_model,meta_graph}.proto and framework/{graph,function,node_def,attr_value}.proto. */
const SAVED_MODEL = { metaGraphs: 2 };
const META_GRAPH = { metaInfoDef: 1, graphDef: 2, assetFileDef: 6 };
const META_INFO = { tags: 4, tensorflowVersion: 5 };
const GRAPH = { node: 1, library: 2 };
const LIBRARY = { function: 1 };
const FUNCTION = { signature: 1, nodeDef: 3 };
const OP_DEF = { name: 1 };
const NODE = { name: 1, op: 2, attr: 5 };
const MAP_ENTRY = { key: 1, value: 2 };
const ATTR_VALUE = { list: 1, s: 2 };
const LIST_VALUE = { s: 2 };
const ASSET_FILE = { filename: 2 };
const SAVED_METADATA = { nodes: 1 };
const SAVED_OBJECT = { nodePath: 3, metadata: 5 };

const FILE_ATTRIBUTES = new Set([
  'debug_urls',
  'output_stream',
  'dump_root',
  'filename',
  'file_pattern',
]);

export interface GraphSummary {
  /** Nodes walked (top-level graph and functions). */
  nodes: number;
  tensorflowVersion?: string;
  tags: string[];
  assetFiles: string[];
}

type NodeVisitor = (node: NodeContext) => void;

async function readNode(
  reader: ProtoReader,
  field: ProtoField,
  fn: string | undefined,
): Promise<NodeContext> {
  const node: NodeContext = { op: '', node: '', fn, fileAttributes: [] };
  for await (const f of reader.fields(field.start, field.end)) {
    if (f.wireType !== WireType.LengthDelimited) continue;
    if (f.field === NODE.name) node.node = await reader.string(f, 512);
    else if (f.field === NODE.op) node.op = await reader.string(f, 256);
    else if (f.field === NODE.attr) {
      let key = '';
      let value: ProtoField | undefined;
      for await (const e of reader.fields(f.start, f.end)) {
        if (
          e.field === MAP_ENTRY.key &&
          e.wireType === WireType.LengthDelimited
        )
          key = await reader.string(e, 256);
        else if (
          e.field === MAP_ENTRY.value &&
          e.wireType === WireType.LengthDelimited
        )
          value = e;
      }
      if (value && FILE_ATTRIBUTES.has(key))
        node.fileAttributes.push(...(await attrStrings(reader, value)));
    }
  }
  return node;
}

async function attrStrings(
  reader: ProtoReader,
  value: ProtoField,
): Promise<string[]> {
  const out: string[] = [];
  for await (const f of reader.fields(value.start, value.end)) {
    if (f.wireType !== WireType.LengthDelimited) continue;
    if (f.field === ATTR_VALUE.s) out.push(await reader.string(f, 1024));
    else if (f.field === ATTR_VALUE.list) {
      for await (const item of reader.fields(f.start, f.end)) {
        if (
          item.field === LIST_VALUE.s &&
          item.wireType === WireType.LengthDelimited &&
          out.length < 16
        )
          out.push(await reader.string(item, 1024));
      }
    }
  }
  return out;
}

/** Walks a GraphDef (top-level nodes and every library function's nodes). */
async function walkGraphDef(
  reader: ProtoReader,
  graph: ProtoField | { start: number; end: number },
  visit: NodeVisitor,
  summary: GraphSummary,
) {
  for await (const f of reader.fields(graph.start, graph.end)) {
    if (f.wireType !== WireType.LengthDelimited) continue;
    if (f.field === GRAPH.node) {
      summary.nodes++;
      visit(await readNode(reader, f, undefined));
    } else if (f.field === GRAPH.library) {
      for await (const fnField of reader.fields(f.start, f.end)) {
        if (
          fnField.field !== LIBRARY.function ||
          fnField.wireType !== WireType.LengthDelimited
        )
          continue;
        let name = '';
        const nodes: ProtoField[] = [];
        for await (const part of reader.fields(fnField.start, fnField.end)) {
          if (part.wireType !== WireType.LengthDelimited) continue;
          if (part.field === FUNCTION.signature) {
            for await (const s of reader.fields(part.start, part.end)) {
              if (
                s.field === OP_DEF.name &&
                s.wireType === WireType.LengthDelimited
              )
                name = await reader.string(s, 512);
            }
          } else if (part.field === FUNCTION.nodeDef) nodes.push(part);
        }
        for (const node of nodes) {
          summary.nodes++;
          visit(await readNode(reader, node, name));
        }
      }
    }
  }
}

/** `saved_model.pb`: every MetaGraphDef's graph, function library, tags and asset file names. */
export async function walkSavedModel(
  reader: ProtoReader,
  visit: NodeVisitor,
): Promise<GraphSummary> {
  const summary: GraphSummary = { nodes: 0, tags: [], assetFiles: [] };
  for await (const f of reader.fields(0, reader.size)) {
    if (
      f.field !== SAVED_MODEL.metaGraphs ||
      f.wireType !== WireType.LengthDelimited
    )
      continue;
    for await (const m of reader.fields(f.start, f.end)) {
      if (m.wireType !== WireType.LengthDelimited) continue;
      if (m.field === META_GRAPH.graphDef)
        await walkGraphDef(reader, m, visit, summary);
      else if (m.field === META_GRAPH.metaInfoDef) {
        for await (const i of reader.fields(m.start, m.end)) {
          if (i.wireType !== WireType.LengthDelimited) continue;
          if (i.field === META_INFO.tags && summary.tags.length < 16)
            summary.tags.push(await reader.string(i, 128));
          else if (i.field === META_INFO.tensorflowVersion)
            summary.tensorflowVersion = await reader.string(i, 64);
        }
      } else if (m.field === META_GRAPH.assetFileDef) {
        for await (const a of reader.fields(m.start, m.end)) {
          if (
            a.field === ASSET_FILE.filename &&
            a.wireType === WireType.LengthDelimited &&
            summary.assetFiles.length < 1000
          ) {
            summary.assetFiles.push(await reader.string(a, 1024));
          }
        }
      }
    }
  }
  return summary;
}

/** A frozen graph (`*.pb` holding a GraphDef). */
export async function walkFrozenGraph(
  reader: ProtoReader,
  visit: NodeVisitor,
): Promise<GraphSummary> {
  const summary: GraphSummary = { nodes: 0, tags: [], assetFiles: [] };
  await walkGraphDef(reader, { start: 0, end: reader.size }, visit, summary);
  return summary;
}

/** `keras_metadata.pb`: the JSON metadata of every Keras object in a TF-format Keras model. */
export async function readKerasMetadata(
  reader: ProtoReader,
  maxJsonBytes: number,
): Promise<{ nodePath: string; json: string }[]> {
  const out: { nodePath: string; json: string }[] = [];
  for await (const f of reader.fields(0, reader.size)) {
    if (
      f.field !== SAVED_METADATA.nodes ||
      f.wireType !== WireType.LengthDelimited
    )
      continue;
    let nodePath = '';
    let json = '';
    for await (const o of reader.fields(f.start, f.end)) {
      if (o.wireType !== WireType.LengthDelimited) continue;
      if (o.field === SAVED_OBJECT.nodePath)
        nodePath = await reader.string(o, 512);
      else if (o.field === SAVED_OBJECT.metadata)
        json = await reader.string(o, maxJsonBytes);
    }
    if (json) out.push({ nodePath, json });
  }
  return out;
}
