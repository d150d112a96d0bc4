import type { InlineData } from '../pickle/walker';
import { dictGet, isContainer, isRef, type PyValue } from '../pickle/values';

/**
 * joblib's NumpyPickler writes each array's raw bytes straight into the pickle stream right after
 * the BUILD of its `NumpyArrayWrapper` (optionally after a one-byte padding length and padding),
 * or, for object arrays, a complete nested pickle. This computes how to step over that data from
 * the wrapper's state (dtype, shape), so the walk continues with the opcodes that follow.
 */
export function joblibInlineData(
  target: PyValue,
  state: PyValue,
): InlineData | undefined {
  if (
    !isRef(target) ||
    target.kind !== 'call' ||
    !isRef(target.callee) ||
    target.callee.kind !== 'global'
  )
    return undefined;
  const { module, name } = target.callee;
  if (module !== 'joblib.numpy_pickle' || name !== 'NumpyArrayWrapper')
    return undefined;
  const dtype = dictGet(state, 'dtype');
  const shape = dictGet(state, 'shape');
  const itemSize = dtypeItemSize(dtype);
  if (itemSize === 'object') return { kind: 'pickle' };
  if (itemSize === undefined)
    return {
      kind: 'unknown',
      reason: 'unrecognised dtype in the NumpyArrayWrapper state',
    };
  const count = elementCount(shape);
  if (count === undefined)
    return {
      kind: 'unknown',
      reason: 'unrecognised shape in the NumpyArrayWrapper state',
    };
  const alignment = dictGet(state, 'numpy_array_alignment_bytes');
  return {
    kind: 'raw',
    length: itemSize * count,
    alignmentPrefix: typeof alignment === 'number' && alignment > 0,
  };
}

function elementCount(shape: PyValue | undefined): number | undefined {
  if (
    !isContainer(shape) ||
    shape.kind !== 'tuple' ||
    shape.items.length !== shape.size
  )
    return undefined;
  let count = 1;
  for (const dim of shape.items) {
    if (typeof dim !== 'number' || dim < 0 || !Number.isSafeInteger(dim))
      return undefined;
    count *= dim;
  }
  return Number.isSafeInteger(count) ? count : undefined;
}

/**
 * Bytes per element of a pickled `numpy.dtype(typestr, align, copy)` call, `'object'` when elements
 * are Python objects (then NumPy writes a pickle), or undefined when unknown.
 */
export function dtypeItemSize(
  dtype: PyValue | undefined,
): number | 'object' | undefined {
  if (!isRef(dtype) || dtype.kind !== 'call' || !isContainer(dtype.args))
    return undefined;
  const typestr = dtype.args.items[0];
  if (typeof typestr !== 'string') return undefined;
  // dtype state: (version, endian, subarray, names, fields, elsize, alignment, flags)
  const state =
    isContainer(dtype.state) && dtype.state.kind === 'tuple'
      ? dtype.state.items
      : [];
  const flags = state[7];
  if (typeof flags === 'number' && (flags & 0x01) !== 0) return 'object'; // NPY_ITEM_REFCOUNT: holds objects
  const elsize = state[5];
  if (typeof elsize === 'number' && elsize > 0) return elsize;
  return typestrItemSize(typestr);
}

/** Item size of a NumPy type string such as `<f8`, `i4`, `U5`, `S3`, `?`, `O`, `M8[ns]`. */
export function typestrItemSize(
  typestr: string,
): number | 'object' | undefined {
  const match = /^[<>|=]?([A-Za-z?])(\d*)(\[[A-Za-z0-9]+\])?$/.exec(
    typestr.trim(),
  );
  if (!match) return undefined;
  const [, kind, digits] = match;
  const n = digits === '' ? undefined : Number(digits);
  switch (kind) {
    case 'O':
      return 'object';
    case '?':
      return 1;
    case 'b':
    case 'i':
    case 'u':
    case 'f':
    case 'c':
    case 'S':
    case 'a':
    case 'V':
      return n;
    case 'U':
      return n === undefined ? undefined : n * 4;
    case 'M':
    case 'm':
      return n ?? 8;
    default:
      return undefined;
  }
}
