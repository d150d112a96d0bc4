import type { InlineData } from '../pickle/walker';
import { dictGet, isContainer, isRef, type PyValue } from '../pickle/values';
import { typestrItemSize } from '../numpy/dtypeSize';

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
  const alignment = alignmentPrefix(state);
  if (alignment === undefined)
    return {
      kind: 'unknown',
      reason:
        'numpy_array_alignment_bytes is neither None nor a constant in the NumpyArrayWrapper state',
    };
  return { kind: 'raw', length: itemSize * count, alignmentPrefix: alignment };
}

/**
 * joblib reads a padding-length byte (and the padding) whenever the wrapper's
 * `numpy_array_alignment_bytes` attribute `is not None`, so 0 and True count too. A computed value
 * (a call result) could be None or not at load time: undefined, the walk cannot know where data ends.
 */
function alignmentPrefix(state: PyValue): boolean | undefined {
  const value = dictGet(state, 'numpy_array_alignment_bytes');
  if (value === undefined || value === null) return false;
  if (isRef(value) && value.kind === 'call') return undefined;
  return true;
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

/** NPY_ITEM_REFCOUNT / NPY_ITEM_HASOBJECT: the dtype holds Python object references. */
const NPY_ITEM_HASOBJECT = 0x01;
/** Width of an object item (a PyObject pointer) on the 64-bit platforms joblib files come from. */
const POINTER_SIZE = 8;
/** Structured dtypes nest dtypes in their fields; deeper than this the walk gives up. */
const MAX_FIELD_DEPTH = 4;

/**
 * Bytes per element of a pickled `numpy.dtype(typestr, align, copy)` call, `'object'` when elements
 * are Python objects (then joblib writes a nested pickle), or undefined when unknown. Mirrors NumPy's
 * `arraydescr_setstate`: the state's elsize applies only to flexible types (S, a, U, V); its flags
 * decide "holds objects" from version 3 on, while for older versions NumPy recomputes them
 * (`_descr_find_object`: any non-zero flag, an object type, or an object field).
 */
export function dtypeItemSize(
  dtype: PyValue | undefined,
  depth = 0,
): number | 'object' | undefined {
  if (!isRef(dtype) || dtype.kind !== 'call' || !isContainer(dtype.args))
    return undefined;
  const typestr = dtype.args.items[0];
  if (typeof typestr !== 'string') return undefined;
  const fromTypestr = typestrItemSize(typestr);
  if (dtype.state === undefined) return fromTypestr;
  // NumPy keeps the last of several states; which one that is may depend on memo sharing: unknown.
  if (dtype.rebuilt) return undefined;
  const state = parseDtypeState(dtype.state);
  if (state === undefined) return undefined;
  const holdsObjects =
    state.version >= 3
      ? (state.flags & NPY_ITEM_HASOBJECT) !== 0
      : state.flags !== 0 ||
        fromTypestr === 'object' ||
        fieldsHoldObjects(state.fields, depth);
  if (holdsObjects === undefined) return undefined;
  if (holdsObjects) return 'object';
  if (isFlexible(typestr)) return state.elsize >= 0 ? state.elsize : undefined;
  // A sub-array on a fixed-size type never comes from NumPy itself: its width is not knowable here.
  if (state.subarray !== null) return undefined;
  // Object typestr whose (version >= 3) flags say "no objects": NumPy reads raw pointers-sized items.
  return fromTypestr === 'object' ? POINTER_SIZE : fromTypestr;
}

interface DtypeState {
  version: number;
  subarray: PyValue;
  fields: PyValue;
  elsize: number;
  flags: number;
}

/**
 * The `numpy.dtype` BUILD state, by tuple length as `arraydescr_setstate` parses it:
 * 9/8 `(version, endian, subarray, names, fields, elsize, alignment, flags[, metadata])`,
 * 7 without flags, 6 without names, 5 without version (version 0). Anything else: undefined.
 */
function parseDtypeState(state: PyValue): DtypeState | undefined {
  if (
    !isContainer(state) ||
    state.kind !== 'tuple' ||
    state.items.length !== state.size
  )
    return undefined;
  const items = state.items;
  const layout: Record<
    number,
    {
      version?: number;
      subarray: number;
      fields: number;
      elsize: number;
      flags?: number;
    }
  > = {
    9: { version: 0, subarray: 2, fields: 4, elsize: 5, flags: 7 },
    8: { version: 0, subarray: 2, fields: 4, elsize: 5, flags: 7 },
    7: { version: 0, subarray: 2, fields: 4, elsize: 5 },
    6: { version: 0, subarray: 2, fields: 3, elsize: 4 },
    5: { subarray: 1, fields: 2, elsize: 3 },
  };
  const at = layout[items.length];
  if (at === undefined) return undefined;
  const version = at.version === undefined ? 0 : items[at.version];
  const elsize = items[at.elsize];
  let flags = at.flags === undefined ? 0 : items[at.flags];
  if (typeof version !== 'number' || version < 0 || version > 4)
    return undefined;
  if (typeof elsize !== 'number' || typeof flags !== 'number') return undefined;
  if (flags < 0 && flags >= -128) flags += 128; // NumPy normalises a signed char
  return {
    version,
    subarray: items[at.subarray] ?? null,
    fields: items[at.fields] ?? null,
    elsize,
    flags,
  };
}

/** Whether any field of a structured dtype (`{name: (dtype, offset[, title])}`) holds objects. */
function fieldsHoldObjects(
  fields: PyValue,
  depth: number,
): boolean | undefined {
  if (fields === null) return false;
  if (
    !isContainer(fields) ||
    fields.kind !== 'dict' ||
    fields.items.length !== fields.size
  )
    return undefined;
  if (depth >= MAX_FIELD_DEPTH) return undefined;
  let unknown = false;
  for (let i = 1; i < fields.items.length; i += 2) {
    const field = fields.items[i];
    if (!isContainer(field) || field.kind !== 'tuple') return undefined;
    const size = dtypeItemSize(field.items[0], depth + 1);
    if (size === 'object') return true;
    if (size === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

function isFlexible(typestr: string): boolean {
  return /^[<>|=]?[SaUV]/.test(typestr.trim());
}
