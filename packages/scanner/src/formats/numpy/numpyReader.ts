import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../engine/FormatReader';
import { SliceSource } from '../../io/ByteSource';
import { sniffPickle } from '../pickle/pickleReader';
import { scanPickleSource } from '../pickle/scanPickle';
import { descrItemSize, exactElementCount } from './dtypeSize';
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
      await checkDataSize(input, ctx, header);
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
 * NumPy reads exactly shape x itemsize bytes after the header. Fewer bytes than that is a
 * truncated or forged array (NUMPY-SHORT-DATA): `numpy.load` fails, but memory-mapping loaders and
 * native readers that trust the header read past the end. Bytes past the declared data never run
 * on `numpy.load`, but they are a free hiding place for a second-stage payload that other code can
 * fetch (NUMPY-TRAILING-DATA). The sizes come from the header; only the tail is read. Products are
 * exact (BigInt), so a shape whose product overflows 64 bits is reported, not wrapped.
 */
async function checkDataSize(
  input: ReaderInput,
  ctx: ReaderContext,
  header: NpyHeader,
): Promise<void> {
  const itemSize = descrItemSize(header.descr);
  if (itemSize === undefined) return; // unknown dtype: numpy refuses it, nothing to size
  const declared = BigInt(itemSize) * exactElementCount(header.shape);
  const actual = BigInt(Math.max(0, input.source.size - header.dataOffset));
  const shape = header.shape.join('x') || 'scalar';
  if (declared > actual) {
    ctx.emit({
      ruleId: 'NUMPY-SHORT-DATA',
      message: `${input.name} declares a ${shape} array of ${JSON.stringify(
        header.descr,
      ).slice(0, 40)} needing ${declared} bytes of data, but holds ${actual}`,
      location: { ...input.location, offset: header.dataOffset },
      evidence: {
        shape: shape.slice(0, 200),
        dtype: JSON.stringify(header.descr).slice(0, 200),
        fortranOrder: header.fortranOrder,
        // Declared sizes can exceed any JSON number: kept as decimal text.
        declaredBytes: declared.toString(),
        actualBytes: Number(actual),
      },
      key: 'short-data',
    });
    return;
  }
  const trailingBig = actual - declared;
  if (trailingBig === 0n) return;
  const trailing = Number(trailingBig);
  const dataEnd = header.dataOffset + Number(declared);
  const probe = await input.source.read(
    dataEnd,
    Math.min(trailing, TRAILING_PROBE_BYTES),
  );
  const looksLikePickle = sniffPickle(probe, trailing);
  ctx.emit({
    ruleId: 'NUMPY-TRAILING-DATA',
    message: `${
      input.name
    } has ${trailing} bytes after its declared ${shape} array data${
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
