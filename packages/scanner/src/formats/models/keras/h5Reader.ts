import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { signalAt } from '../common/signals';
import { modelComponent } from '../common/component';
import { reportKerasConfig } from './report';
import { hdf5SignatureOffset, scanH5ForKeras } from './h5Scan';

/** Bytes searched at each end of an HDF5 file for Keras attributes. */
const H5_WINDOW_BYTES = 8 * 1024 * 1024;
const H5_NOTE = '; legacy HDF5 models ignore safe_mode (CVE-2025-9905)';

/**
 * HDF5 files: Keras 2 `.h5` models (config as root attributes) and Keras 3 `model.weights.h5`
 * members (weights only). Without an HDF5 library, the Keras JSON is found by a bounded byte
 * search (see h5Scan.ts); a file without any is plain weights and gets no finding.
 */
export const kerasH5Reader: FormatReader = {
  id: 'hdf5',
  priority: 40,
  sniff: head => hdf5SignatureOffset(head) !== undefined,
  async read(input: ReaderInput, ctx: ReaderContext) {
    ctx.setFormat('hdf5');
    const scan = await scanH5ForKeras(input.source, {
      windowBytes: Math.min(H5_WINDOW_BYTES, ctx.limits.maxHeaderBytes),
      maxJsonBytes: ctx.limits.maxTextBytes,
      checkDeadline: () => ctx.checkDeadline(),
    });
    const isKerasModel =
      scan.attributeNames.includes('model_config') || scan.documents.length > 0;
    let lambdaReported = false;
    for (const document of scan.documents) {
      const issues = reportKerasConfig(
        input,
        ctx,
        document.value,
        document.origin,
        H5_NOTE,
      );
      lambdaReported ||= issues.some(
        issue => issue.ruleId === 'MODEL-KERAS-LAMBDA',
      );
    }
    if (scan.lambdaMarkerOffset !== undefined && !lambdaReported) {
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
    }
    if (
      scan.attributeNames.includes('model_config') &&
      scan.documents.length === 0
    ) {
      ctx.emit(
        signalAt(
          input,
          'MODEL-MALFORMED',
          'HDF5 file has a model_config attribute whose JSON could not be recovered, so its layers were not checked',
          'h5:model_config',
          { format: 'keras-h5' },
        ),
      );
    }
    if (isKerasModel)
      ctx.addComponent(
        modelComponent(input, 'keras-h5', {
          'hdf5.attributes': scan.attributeNames.join(','),
        }),
      );
  },
};
