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
import {
  STANDARD_ONNX_DOMAINS,
  walkOnnxModel,
  type OnnxModelSummary,
} from './onnxModel';
import { externalLocationEscape } from '../common/paths';

/** If/Loop/Scan nesting deeper than this is not walked (and reported). */
const MAX_GRAPH_DEPTH = 32;
const MODEL_PROTO_TAGS = new Set([0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42]);

function namedOnnx(name: string): boolean {
  return name.toLowerCase().endsWith('.onnx');
}

/** ONNX has no magic number: a `.onnx` name, or a ModelProto that opens with a sane ir_version. */
export function looksLikeOnnx(head: Uint8Array, name: string): boolean {
  if (namedOnnx(name)) return true;
  return (
    head.length >= 3 &&
    head[0] === 0x08 &&
    head[1] >= 1 &&
    head[1] <= 20 &&
    MODEL_PROTO_TAGS.has(head[2])
  );
}

export const onnxReader: FormatReader = {
  id: 'onnx',
  priority: 20,
  sniff: (head, name) => looksLikeOnnx(head, name),
  async read(input: ReaderInput, ctx: ReaderContext) {
    ctx.setFormat('onnx');
    // Claimed by name (ONNX has no magic), yet torch.load / pickle.load open a pickle or zip called
    // `.onnx` all the same: the reader of the real content must see it and name the payload. Done
    // before the walk, so a walk that runs into a limit cannot prevent it.
    const foreign = namedOnnx(input.name)
      ? foreignMagic(input.head)
      : undefined;
    if (foreign === 'certain') await reportDisguise(input, ctx, 'ONNX');
    let summary: OnnxModelSummary | undefined;
    try {
      summary = await walkOnnxModel(protoReaderFor(input.source, ctx), {
        maxGraphDepth: MAX_GRAPH_DEPTH,
        maxRecords: 1000,
      });
    } catch (error) {
      if (!(error instanceof ProtoError)) throw error;
      reportUnreadable(input, ctx, error.message);
    }
    if (summary) reportOnnx(input, ctx, summary);
    else if (foreign === 'weak') await reportDisguise(input, ctx, 'ONNX');
  },
};

/**
 * A `.onnx` file that is not valid protobuf is malformed; a file claimed only because its first
 * bytes look like a ModelProto (a raw `.bin`, say) is simply not ONNX, and stays unsupported.
 */
function reportUnreadable(
  input: ReaderInput,
  ctx: ReaderContext,
  reason: string,
) {
  if (namedOnnx(input.name)) {
    ctx.emit(
      signalAt(
        input,
        'MODEL-MALFORMED',
        `Not a valid ONNX protobuf: ${reason}`,
        'onnx:wire',
        { format: 'onnx' },
      ),
    );
  } else {
    ctx.emit(
      signalAt(
        input,
        'SCAN-UNSUPPORTED',
        `${input.name} starts like an ONNX model but is not one (${reason}); it was not analysed`,
        'unsupported',
        {
          format: 'onnx?',
        },
      ),
    );
  }
}

function reportOnnx(
  input: ReaderInput,
  ctx: ReaderContext,
  summary: OnnxModelSummary,
) {
  for (const data of summary.externalData) {
    const escape = externalLocationEscape(data.location);
    if (!escape) continue;
    ctx.emit(
      signalAt(
        input,
        'MODEL-ONNX-EXTERNAL-PATH',
        `Tensor "${data.tensor}" (${
          data.where
        }) loads external data from "${data.location.slice(
          0,
          200,
        )}", which ${escape}`,
        `${data.tensor}:${data.location}`,
        {
          tensor: data.tensor,
          location: data.location.slice(0, 200),
          where: data.where,
        },
      ),
    );
  }

  // Calls to functions defined in the model are not custom operators.
  const localFunctions = new Set(summary.functions);
  const localDomains = new Set(
    summary.functions.map(f => f.slice(0, f.lastIndexOf(':'))),
  );
  const customOps = new Map<string, Set<string>>();
  for (const node of summary.nonStandardNodes) {
    if (localFunctions.has(`${node.domain}:${node.opType}`)) continue;
    const ops = customOps.get(node.domain) ?? new Set<string>();
    ops.add(node.opType);
    customOps.set(node.domain, ops);
  }
  for (const { domain } of summary.opsetImports) {
    if (
      !localDomains.has(domain) &&
      !customOps.has(domain) &&
      !STANDARD_ONNX_DOMAINS.has(domain)
    )
      customOps.set(domain, new Set());
  }
  for (const [domain, ops] of customOps) {
    const opList = [...ops].slice(0, 20);
    ctx.emit(
      signalAt(
        input,
        'MODEL-ONNX-CUSTOM-DOMAIN',
        ops.size > 0
          ? `Custom operator domain "${domain}" used by ${opList.join(
              ', ',
            )}: needs a custom-op library at run time`
          : `Opset import of custom domain "${domain}"`,
        domain,
        { domain, opcode: opList[0], ops: opList },
      ),
    );
  }
  if (summary.depthExceeded) {
    ctx.emit(
      signalAt(
        input,
        'SCAN-LIMIT',
        `ONNX subgraphs nest deeper than ${MAX_GRAPH_DEPTH} levels; deeper graphs were not analysed`,
        'onnx:graphDepth',
        {
          limit: 'onnxGraphDepth',
          value: MAX_GRAPH_DEPTH,
        },
      ),
    );
  }
  const properties: Record<string, string> = {};
  if (summary.irVersion !== undefined)
    properties['onnx.irVersion'] = String(summary.irVersion);
  if (summary.producerName)
    properties['onnx.producer'] = `${summary.producerName} ${
      summary.producerVersion ?? ''
    }`.trim();
  if (summary.opsetImports.length) {
    properties['onnx.opsets'] = summary.opsetImports
      .map(o => `${o.domain || 'ai.onnx'}@${o.version}`)
      .join(',');
  }
  ctx.addComponent(modelComponent(input, 'onnx', properties));
}
