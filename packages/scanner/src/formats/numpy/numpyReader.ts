import type { FormatReader } from '../../engine/FormatReader';
import { SliceSource } from '../../io/ByteSource';
import { scanPickleSource } from '../pickle/scanPickle';
import {
  hasNpyMagic,
  NUMPY_MAX_HEADER_SIZE,
  parseNpyHeader,
} from './npyHeader';

/**
 * `.npy` arrays (and `.npz` members handed over by the zip reader). Numeric arrays are data and
 * produce no finding; an object dtype means the payload is a pickle, which is reported and walked.
 */
export const numpyReader: FormatReader = {
  id: 'numpy',
  priority: 30,
  sniff: head => hasNpyMagic(head),
  async read(input, ctx) {
    ctx.setFormat('numpy');
    const maxHeader = Math.min(
      ctx.limits.maxHeaderBytes,
      16 * NUMPY_MAX_HEADER_SIZE,
    );
    let parsed = parseNpyHeader(input.head, maxHeader);
    if (
      !parsed.ok &&
      parsed.needBytes !== undefined &&
      parsed.needBytes <= maxHeader + 12
    ) {
      parsed = parseNpyHeader(
        await input.source.read(0, parsed.needBytes + 12),
        maxHeader,
      );
    }
    if (!parsed.ok) {
      const overLimit =
        parsed.needBytes !== undefined && parsed.needBytes > maxHeader;
      ctx.emit({
        ruleId: overLimit ? 'SCAN-LIMIT' : 'SCAN-ERROR',
        message: `NumPy header of ${input.name} cannot be read: ${parsed.reason}`,
        location: input.location,
        evidence: overLimit
          ? { limit: 'maxHeaderBytes', value: maxHeader }
          : { reader: 'numpy' },
        key: overLimit ? 'numpy:maxHeaderBytes' : 'numpy:header',
      });
      return;
    }
    const { header } = parsed;
    if (!header.hasObjects) return;
    ctx.emit({
      ruleId: 'NUMPY-OBJECT-ARRAY',
      message: `${input.name} has object dtype ${JSON.stringify(
        header.descr,
      ).slice(
        0,
        80,
      )}: its data is a pickle that numpy.load(allow_pickle=True) runs`,
      location: { ...input.location, offset: header.dataOffset },
      evidence: {
        dtype: JSON.stringify(header.descr).slice(0, 200),
        shape: header.shape.join('x'),
      },
      key: 'object-dtype',
    });
    const payload = new SliceSource(
      input.source,
      header.dataOffset,
      Math.max(0, input.source.size - header.dataOffset),
    );
    await scanPickleSource(
      {
        source: payload,
        name: input.name,
        location: input.location,
        baseOffset: header.dataOffset,
        format: 'numpy-object',
      },
      ctx,
    );
  },
};
