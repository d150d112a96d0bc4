import { WireType, type ProtoField, type ProtoReader } from '../protobuf/wire';

/** Field numbers from onnx.proto (ONNX 1.17). Only what the checks need. */
const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  graph: 7,
  opsetImport: 8,
  trainingInfo: 20,
  functions: 25,
};
const OPSET = { domain: 1, version: 2 };
const GRAPH = { node: 1, name: 2, initializer: 5, sparseInitializer: 15 };
const NODE = { name: 3, opType: 4, attribute: 5, domain: 7 };
const ATTRIBUTE = {
  name: 1,
  t: 5,
  g: 6,
  tensors: 10,
  graphs: 11,
  sparseTensor: 22,
  sparseTensors: 23,
};
const TENSOR = { name: 8, externalData: 13, dataLocation: 14 };
const SPARSE_TENSOR = { values: 1, indices: 2 };
const ENTRY = { key: 1, value: 2 };
const TRAINING_INFO = { initialization: 1, algorithm: 2 };
const FUNCTION = { name: 1, node: 7, opsetImport: 9, domain: 10 };

/** Operator domains implemented by ONNX itself and by the mainstream runtimes. */
export const STANDARD_ONNX_DOMAINS: ReadonlySet<string> = new Set([
  '',
  'ai.onnx',
  'ai.onnx.ml',
  'ai.onnx.training',
  'ai.onnx.preview.training',
  'com.microsoft',
  'com.microsoft.nchwc',
  'com.microsoft.experimental',
  'com.ms.internal.nhwc',
]);

export interface OnnxExternalData {
  tensor: string;
  location: string;
  /** Where the tensor sits, e.g. `graph/initializer` or `graph/node:If_1/then_branch`. */
  where: string;
}

export interface OnnxNodeRef {
  domain: string;
  opType: string;
  node: string;
  where: string;
}

export interface OnnxModelSummary {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  opsetImports: { domain: string; version: number }[];
  /** Local functions, as `domain:name`. */
  functions: string[];
  externalData: OnnxExternalData[];
  /** Nodes whose domain is not standard (local-function calls included; the caller filters). */
  nonStandardNodes: OnnxNodeRef[];
  /** True when subgraph nesting went past the depth cap (the deeper part was not walked). */
  depthExceeded: boolean;
}

export interface OnnxWalkLimits {
  maxGraphDepth: number;
  /** Cap on the number of distinct records kept per list (external data, custom nodes). */
  maxRecords: number;
}

/**
 * Walks an ONNX ModelProto: opset imports, graph nodes (with If/Loop/Scan subgraphs), local
 * functions, training graphs, and every TensorProto's external-data entries. Tensor payloads are
 * skipped by offset. Throws ProtoError on invalid wire data.
 */
export async function walkOnnxModel(
  reader: ProtoReader,
  limits: OnnxWalkLimits,
): Promise<OnnxModelSummary> {
  const summary: OnnxModelSummary = {
    opsetImports: [],
    functions: [],
    externalData: [],
    nonStandardNodes: [],
    depthExceeded: false,
  };
  const keep = <T>(list: T[], item: T) => {
    if (list.length < limits.maxRecords) list.push(item);
  };

  async function walkTensor(field: ProtoField, where: string) {
    let name = '';
    const entries: Record<string, string> = {};
    for await (const f of reader.fields(field.start, field.end)) {
      if (f.field === TENSOR.name && f.wireType === WireType.LengthDelimited)
        name = await reader.string(f, 512);
      else if (
        f.field === TENSOR.externalData &&
        f.wireType === WireType.LengthDelimited
      ) {
        let key = '';
        let value = '';
        for await (const e of reader.fields(f.start, f.end)) {
          if (e.wireType !== WireType.LengthDelimited) continue;
          if (e.field === ENTRY.key) key = await reader.string(e, 256);
          else if (e.field === ENTRY.value)
            value = await reader.string(e, 4096);
        }
        entries[key] = value;
      }
    }
    // A location is what the loaders open, whether or not data_location says EXTERNAL.
    if ('location' in entries)
      keep(summary.externalData, {
        tensor: name,
        location: entries.location,
        where,
      });
  }

  async function walkSparseTensor(field: ProtoField, where: string) {
    for await (const f of reader.fields(field.start, field.end)) {
      if (
        (f.field === SPARSE_TENSOR.values ||
          f.field === SPARSE_TENSOR.indices) &&
        f.wireType === WireType.LengthDelimited
      ) {
        await walkTensor(f, where);
      }
    }
  }

  async function walkNode(field: ProtoField, where: string, depth: number) {
    let opType = '';
    let domain = '';
    let name = '';
    const attributes: ProtoField[] = [];
    for await (const f of reader.fields(field.start, field.end)) {
      if (f.wireType !== WireType.LengthDelimited) continue;
      if (f.field === NODE.opType) opType = await reader.string(f, 256);
      else if (f.field === NODE.domain) domain = await reader.string(f, 256);
      else if (f.field === NODE.name) name = await reader.string(f, 256);
      else if (f.field === NODE.attribute) attributes.push(f);
    }
    if (!STANDARD_ONNX_DOMAINS.has(domain))
      keep(summary.nonStandardNodes, { domain, opType, node: name, where });
    for (const attribute of attributes)
      await walkAttribute(attribute, `${where}/node:${name || opType}`, depth);
  }

  async function walkAttribute(
    field: ProtoField,
    where: string,
    depth: number,
  ) {
    let attributeName = '';
    for await (const f of reader.fields(field.start, field.end)) {
      if (f.wireType !== WireType.LengthDelimited) continue;
      const here = `${where}/${attributeName || 'attribute'}`;
      if (f.field === ATTRIBUTE.name)
        attributeName = await reader.string(f, 256);
      else if (f.field === ATTRIBUTE.t || f.field === ATTRIBUTE.tensors)
        await walkTensor(f, here);
      else if (
        f.field === ATTRIBUTE.sparseTensor ||
        f.field === ATTRIBUTE.sparseTensors
      )
        await walkSparseTensor(f, here);
      else if (f.field === ATTRIBUTE.g || f.field === ATTRIBUTE.graphs)
        await walkGraph(f, here, depth + 1);
    }
  }

  async function walkGraph(field: ProtoField, where: string, depth: number) {
    if (depth > limits.maxGraphDepth) {
      summary.depthExceeded = true;
      return;
    }
    for await (const f of reader.fields(field.start, field.end)) {
      if (f.wireType !== WireType.LengthDelimited) continue;
      if (f.field === GRAPH.node) await walkNode(f, where, depth);
      else if (f.field === GRAPH.initializer)
        await walkTensor(f, `${where}/initializer`);
      else if (f.field === GRAPH.sparseInitializer)
        await walkSparseTensor(f, `${where}/sparse_initializer`);
    }
  }

  async function readOpset(field: ProtoField) {
    let domain = '';
    let version = 0;
    for await (const f of reader.fields(field.start, field.end)) {
      if (f.field === OPSET.domain && f.wireType === WireType.LengthDelimited)
        domain = await reader.string(f, 256);
      else if (f.field === OPSET.version && f.wireType === WireType.Varint)
        version = f.value;
    }
    return { domain, version };
  }

  async function walkFunction(field: ProtoField) {
    let name = '';
    let domain = '';
    const nodes: ProtoField[] = [];
    for await (const f of reader.fields(field.start, field.end)) {
      if (f.wireType !== WireType.LengthDelimited) continue;
      if (f.field === FUNCTION.name) name = await reader.string(f, 256);
      else if (f.field === FUNCTION.domain)
        domain = await reader.string(f, 256);
      else if (f.field === FUNCTION.node) nodes.push(f);
      else if (f.field === FUNCTION.opsetImport)
        keep(summary.opsetImports, await readOpset(f));
    }
    keep(summary.functions, `${domain}:${name}`);
    for (const node of nodes)
      await walkNode(node, `function:${domain}:${name}`, 1);
  }

  for await (const f of reader.fields(0, reader.size)) {
    if (f.field === MODEL.irVersion && f.wireType === WireType.Varint)
      summary.irVersion = f.value;
    else if (f.wireType !== WireType.LengthDelimited) continue;
    else if (f.field === MODEL.producerName)
      summary.producerName = await reader.string(f, 256);
    else if (f.field === MODEL.producerVersion)
      summary.producerVersion = await reader.string(f, 256);
    else if (f.field === MODEL.opsetImport)
      keep(summary.opsetImports, await readOpset(f));
    else if (f.field === MODEL.graph) await walkGraph(f, 'graph', 0);
    else if (f.field === MODEL.functions) await walkFunction(f);
    else if (f.field === MODEL.trainingInfo) {
      for await (const t of reader.fields(f.start, f.end)) {
        if (
          (t.field === TRAINING_INFO.initialization ||
            t.field === TRAINING_INFO.algorithm) &&
          t.wireType === WireType.LengthDelimited
        ) {
          await walkGraph(t, 'training_info', 0);
        }
      }
    }
  }
  return summary;
}
