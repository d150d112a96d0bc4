import { BufferSource, type ByteSource } from '../../io/ByteSource';
import type { ReaderContext, ReaderInput } from '../../engine/FormatReader';
import type { Location } from '../../model/evidence';
import { joblibInlineData } from '../joblib/inlineArrays';
import { PickleAnalysis } from './analysis';
import { walkPickleStreams, type StreamsResult } from './streams';
import { isTorchLegacyStream, TORCH_LEGACY_STREAMS } from './torchLegacy';
import { createBudget } from './walker';
import { WALK_WINDOW_BYTES, type PickleBytes } from './pickleInput';

/**
 * Names the jit unpickler of a TorchScript archive resolves itself (torch/csrc/jit/serialization/
 * unpickler.cpp): `__torch__.*` are classes compiled from the archive's code/ (analysed there),
 * `torch.jit._pickle.*` build typed lists and restore type tags. Trusted only inside such archives.
 */
const TORCHSCRIPT_PICKLE_GLOBALS: readonly string[] = [
  '__torch__.**',
  'torch.jit._pickle.build_*',
  'torch.jit._pickle.restore_type_tag',
];

export interface PickleScanRequest {
  source: ByteSource;
  name: string;
  location: Location;
  /** Offset of `source` inside the file or member, for signal offsets (e.g. after a .npy header). */
  baseOffset?: number;
  /** Format label when the caller knows better than the content (e.g. `numpy-object`, `joblib`). */
  format?: string;
}

export interface PickleScanSummary {
  format: string;
  streams: number;
  protocol?: number;
  limitReached: boolean;
}

/**
 * Walks every pickle stream of a source and reports what it imports, calls and how it is built.
 * Shared by the pickle, joblib and NumPy readers. Reads at most `maxPickleBytes`; a larger source is
 * a SCAN-LIMIT for the unread part. Signals found before a timeout are still reported.
 */
export async function scanPickleSource(
  request: PickleScanRequest,
  ctx: ReaderContext,
): Promise<PickleScanSummary> {
  const { source, location } = request;
  const readable = Math.min(source.size, ctx.limits.maxPickleBytes);
  if (source.size > readable) {
    ctx.emit({
      ruleId: 'SCAN-LIMIT',
      message: `Pickle is ${source.size} bytes; only the first ${readable} (maxPickleBytes) were analysed`,
      location,
      evidence: { limit: 'maxPickleBytes', value: ctx.limits.maxPickleBytes },
      key: 'pickle:maxPickleBytes',
    });
  }
  const data = await pickleBytes(source, readable);
  const legacy = isTorchLegacyStream(
    data instanceof Uint8Array ? data : data.readSync(0, 64),
  );
  const budget = createBudget(
    ctx.limits.maxPickleOps,
    () => ctx.checkDeadline(),
    ctx.limits.maxPickleNesting,
  );
  const analysis = new PickleAnalysis({
    location,
    baseOffset: request.baseOffset,
    trustedGlobals: ctx.options.torchScriptArchive
      ? [...(ctx.options.trustedGlobals ?? []), ...TORCHSCRIPT_PICKLE_GLOBALS]
      : ctx.options.trustedGlobals,
    emit: signal => ctx.emit(signal),
    budget,
    inlineDataAfterBuild: joblibInlineData,
  });
  let result: StreamsResult;
  try {
    result = walkPickleStreams(
      data,
      analysis,
      budget,
      legacy ? { maxStreams: TORCH_LEGACY_STREAMS, reportTrailing: false } : {},
    );
  } finally {
    analysis.finish();
  }
  if (result.limitReached) {
    ctx.emit({
      ruleId: 'SCAN-LIMIT',
      message: `Pickle has more than ${ctx.limits.maxPickleOps} opcodes (maxPickleOps); the rest was not analysed`,
      location: { ...location, offset: result.end + (request.baseOffset ?? 0) },
      evidence: { limit: 'maxPickleOps', value: ctx.limits.maxPickleOps },
      key: 'pickle:maxPickleOps',
    });
  }
  if (
    legacy &&
    result.streams.length < TORCH_LEGACY_STREAMS &&
    !result.limitReached
  ) {
    analysis.onAnomaly({
      kind: 'truncated',
      message: `PyTorch legacy file holds ${result.streams.length} of its ${TORCH_LEGACY_STREAMS} pickles`,
      offset: result.end,
    });
  }

  for (const nested of analysis.nestedPayloads) {
    await ctx.scanChild({
      name: `${nested.symbol}@${nested.offset}`,
      source: new BufferSource(nested.data),
    });
  }

  const format = request.format ?? formatOf(legacy, analysis);
  const protocol = result.streams.find(
    stream => stream.protocol !== undefined,
  )?.protocol;
  ctx.setFormat(format);
  ctx.emit({
    ruleId: 'PICKLE-FORMAT',
    message: `${request.name} is ${
      format === 'pickle' ? 'a pickle' : `a ${format} pickle`
    } (${protocol === undefined ? 'protocol 0/1' : `protocol ${protocol}`}, ${
      result.streams.length
    } stream${
      result.streams.length === 1 ? '' : 's'
    }); loading it can run code`,
    location,
    evidence: { format, protocol, streams: result.streams.length },
    key: 'format',
  });
  return {
    format,
    streams: result.streams.length,
    protocol,
    limitReached: result.limitReached,
  };
}

/**
 * The bytes to walk: a source that can read synchronously and is larger than one window is walked
 * window by window (peak memory does not grow with the file); anything else is read whole.
 */
async function pickleBytes(
  source: ByteSource,
  readable: number,
): Promise<PickleBytes> {
  const readSync = source.readSync?.bind(source);
  if (!readSync || readable <= WALK_WINDOW_BYTES)
    return source.read(0, readable);
  const readInto = source.readSyncInto?.bind(source);
  return {
    size: readable,
    readSync: (offset, length) =>
      readSync(offset, Math.max(0, Math.min(length, readable - offset))),
    ...(readInto
      ? {
          readInto: (target: Uint8Array, offset: number) =>
            readInto(
              target.subarray(
                0,
                Math.max(0, Math.min(target.length, readable - offset)),
              ),
              offset,
            ),
        }
      : {}),
  };
}

function formatOf(legacy: boolean, analysis: PickleAnalysis): string {
  if (legacy) return 'pytorch-legacy';
  return analysis.hasImported('joblib.numpy_pickle.NumpyArrayWrapper')
    ? 'joblib'
    : 'pickle';
}

/** Adds the BOM component for a model file read by one of the pickle-family readers. */
export function addModelComponent(
  input: ReaderInput,
  ctx: ReaderContext,
  summary: PickleScanSummary,
): void {
  // Members of containers (data.pkl in a torch zip) are described by the container's reader.
  if (ctx.depth > 0) return;
  ctx.addComponent({
    type: 'machine-learning-model',
    name: input.name,
    path: input.location.path,
    properties: {
      format: summary.format,
      ...(summary.protocol !== undefined
        ? { pickleProtocol: String(summary.protocol) }
        : {}),
    },
  });
}
