import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../engine/FormatReader';
import { SliceSource } from '../../io/ByteSource';
import { sniffPickle } from '../pickle/pickleReader';
import { scanPickleSource } from '../pickle/scanPickle';
import { descrItemSize, elementCount } from './dtypeSize';
import {
  hasNpyMagic,
  type NpyHeader,
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
    if (!header.hasObjects) {
      await reportTrailingData(input, ctx, header);
      return;
    }
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

/** Bytes of the trailing region read to describe it (never the array data itself). */
const TRAILING_PROBE_BYTES = 4096;

/**
 * NumPy reads exactly shape x itemsize bytes after the header and ignores the rest, so bytes past
 * the declared data never run on `numpy.load`; but they are a free hiding place for a second-stage
 * payload that other code can fetch. The expected size comes from the header; only the tail is read.
 */
async function reportTrailingData(
  input: ReaderInput,
  ctx: ReaderContext,
  header: NpyHeader,
): Promise<void> {
  const itemSize = descrItemSize(header.descr);
  const count = elementCount(header.shape);
  if (itemSize === undefined || count === undefined) return;
  const dataEnd = header.dataOffset + itemSize * count;
  const trailing = input.source.size - dataEnd;
  if (!Number.isSafeInteger(dataEnd) || trailing <= 0) return;
  const probe = await input.source.read(
    dataEnd,
    Math.min(trailing, TRAILING_PROBE_BYTES),
  );
  const looksLikePickle = sniffPickle(probe, trailing);
  ctx.emit({
    ruleId: 'NUMPY-TRAILING-DATA',
    message: `${input.name} has ${trailing} bytes after its declared ${
      header.shape.join('x') || 'scalar'
    } array data${
      looksLikePickle ? ', and they look like a pickle' : ''
    }: NumPy ignores them, so they can carry a hidden second stage`,
    location: { ...input.location, offset: dataEnd },
    evidence: {
      snippet: hexPreview(probe),
      trailingBytes: trailing,
      looksLikePickle,
    },
    key: looksLikePickle ? 'trailing-data:pickle' : 'trailing-data',
    severity: looksLikePickle ? 'medium' : 'low',
  });
}

function hexPreview(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 32)).toString('hex');
}
