import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { signalAt } from '../common/signals';
import { modelComponent } from '../common/component';
import { tryParseJson } from '../common/boundedJson';
import { walkHdf5, type Hdf5Attribute, type Hdf5Walk } from '../hdf5/walk';
import { DEFAULT_HDF5_LIMITS } from '../hdf5/hdf5File';
import { holdsKerasObject } from './kerasConfig';
import { reportKerasConfig } from './report';
import { hdf5SignatureOffset, scanH5ForKeras } from './h5Scan';

/** Bytes searched at each end of an HDF5 file by the fallback byte search. */
const H5_WINDOW_BYTES = 8 * 1024 * 1024;
const H5_NOTE = '; legacy HDF5 models ignore safe_mode (CVE-2025-9905)';
/** Declared dataset bytes past both of these are an allocation bomb (CVE-2026-12570), not weights. */
const DECLARED_BYTES_FLOOR = 2 ** 30;
const DECLARED_TO_FILE_RATIO = 64;
/** Attributes Keras reads as JSON (Keras 2 `.h5` saves them on the root group). */
const KERAS_JSON_ATTRIBUTES = new Set(['model_config', 'training_config']);

/**
 * HDF5 files: Keras 2 `.h5` models (config as attributes) and Keras 3 `model.weights.h5`
 * members (weights only). The file's metadata is walked (hdf5/walk.ts) to every attribute of
 * every object, wherever it is stored, and each JSON attribute holding Keras objects gets the
 * Keras checks. A file the walk cannot finish is MODEL-MALFORMED; the bounded byte search
 * (h5Scan.ts) then still looks for a Lambda in what could not be walked.
 */
export const kerasH5Reader: FormatReader = {
  id: 'hdf5',
  priority: 40,
  sniff: head => hdf5SignatureOffset(head) !== undefined,
  async read(input: ReaderInput, ctx: ReaderContext) {
    ctx.setFormat('hdf5');
    const walk = await walkHdf5(input.source, {
      ...DEFAULT_HDF5_LIMITS,
      maxMetadataBytes: Math.min(
        DEFAULT_HDF5_LIMITS.maxMetadataBytes,
        ctx.limits.maxHeaderBytes,
      ),
      maxAttributeBytes: ctx.limits.maxTextBytes,
      checkDeadline: () => ctx.checkDeadline(),
    });
    let lambdaReported = false;
    let configs = 0;
    for (const attribute of walk.attributes) {
      const origin = `h5:${attribute.objectPath}@${attribute.name}`;
      if (attribute.undecodable && KERAS_JSON_ATTRIBUTES.has(attribute.name)) {
        ctx.emit(
          signalAt(
            input,
            'MODEL-MALFORMED',
            `HDF5 attribute ${attribute.name} on ${attribute.objectPath} could not be decoded (${attribute.undecodable}), so its layers were not checked`,
            `${origin}:undecodable`,
            { format: 'keras-h5', attribute: attribute.name },
          ),
        );
        continue;
      }
      for (const config of kerasJsonIn(attribute)) {
        configs++;
        const issues = reportKerasConfig(input, ctx, config, origin, H5_NOTE);
        lambdaReported ||= issues.some(i => i.ruleId === 'MODEL-KERAS-LAMBDA');
      }
    }
    reportDeclaredSize(input, ctx, walk);
    const unwalked = walk.problems.length > 0 || walk.limit !== undefined;
    if (unwalked) {
      reportUnwalked(input, ctx, walk);
      lambdaReported ||= await fallbackByteSearch(input, ctx, lambdaReported);
    }
    const names = [...new Set(walk.attributes.map(a => a.name))];
    if (configs > 0 || names.includes('model_config'))
      ctx.addComponent(
        modelComponent(input, 'keras-h5', {
          'hdf5.attributes': names.slice(0, 50).join(','),
          'hdf5.objects': String(walk.objects),
        }),
      );
  },
};

/** Parsed Keras JSON in an attribute: the Keras attribute names, or any string holding Keras objects. */
function kerasJsonIn(attribute: Hdf5Attribute): unknown[] {
  const found: unknown[] = [];
  for (const text of attribute.strings ?? []) {
    const trimmed = text.trim();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) continue;
    const value = tryParseJson(trimmed);
    if (value === undefined) continue;
    if (KERAS_JSON_ATTRIBUTES.has(attribute.name) || holdsKerasObject(value))
      found.push(value);
  }
  return found;
}

function reportDeclaredSize(
  input: ReaderInput,
  ctx: ReaderContext,
  walk: Hdf5Walk,
) {
  const declared = walk.declaredDataBytes;
  if (
    declared <= DECLARED_BYTES_FLOOR ||
    declared <= input.source.size * DECLARED_TO_FILE_RATIO
  )
    return;
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  ctx.emit(
    signalAt(
      input,
      'MODEL-HDF5-DECLARED-SIZE',
      `${walk.datasets} HDF5 datasets declare ${gib(declared)} (largest ${
        walk.largestDataset?.path
      }: ${gib(walk.largestDataset?.bytes ?? 0)}) in a file of ${
        input.source.size
      } bytes; loading the model allocates what the shapes declare (CVE-2026-12570)`,
      'h5:declared-size',
      {
        format: 'hdf5',
        declaredBytes: declared,
        fileBytes: input.source.size,
      },
    ),
  );
}

function reportUnwalked(
  input: ReaderInput,
  ctx: ReaderContext,
  walk: Hdf5Walk,
) {
  if (walk.limit)
    ctx.emit(
      signalAt(
        input,
        'SCAN-LIMIT',
        `HDF5 walk stopped: ${walk.limit}; attributes of the objects not reached were not checked`,
        'h5:limit',
        { limit: 'hdf5', format: 'hdf5' },
      ),
    );
  if (walk.problems.length > 0)
    ctx.emit(
      signalAt(
        input,
        'MODEL-MALFORMED',
        `HDF5 structure could not be walked completely (${walk.problems
          .slice(0, 3)
          .join(
            '; ',
          )}); attributes stored there, such as a Keras model_config, were not checked`,
        'h5:structure',
        { format: 'hdf5', problems: walk.problems.slice(0, 10) },
      ),
    );
}

/** The bounded byte search over what the walk could not reach; returns whether a Lambda was reported. */
async function fallbackByteSearch(
  input: ReaderInput,
  ctx: ReaderContext,
  lambdaReported: boolean,
): Promise<boolean> {
  const scan = await scanH5ForKeras(input.source, {
    windowBytes: Math.min(H5_WINDOW_BYTES, ctx.limits.maxHeaderBytes),
    maxJsonBytes: ctx.limits.maxTextBytes,
    checkDeadline: () => ctx.checkDeadline(),
  });
  let reported = lambdaReported;
  for (const document of scan.documents) {
    const issues = reportKerasConfig(
      input,
      ctx,
      document.value,
      `${document.origin}@bytes`,
      H5_NOTE,
    );
    reported ||= issues.some(issue => issue.ruleId === 'MODEL-KERAS-LAMBDA');
  }
  if (scan.lambdaMarkerOffset !== undefined && !reported) {
    ctx.emit(
      signalAt(
        input,
        'MODEL-KERAS-LAMBDA',
        `A Lambda layer marker was found but its config could not be recovered${H5_NOTE}`,
        'h5:lambda-marker',
        {},
        { offset: scan.lambdaMarkerOffset },
      ),
    );
    reported = true;
  }
  return reported;
}
