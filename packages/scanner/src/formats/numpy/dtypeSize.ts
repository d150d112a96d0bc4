import type { PyLiteral } from './pyLiteral';

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

/** Structured dtypes nest; deeper than this the size is not computed. */
const MAX_DESCR_DEPTH = 8;

/**
 * Bytes per element of an `.npy` header `descr`: a type string, or a structured list of
 * `(name, descr[, shape])` fields as `dtype.descr` writes them (padding included as `V` fields).
 * Undefined when unknown or when elements are objects (then the data is a pickle, not a size).
 */
export function descrItemSize(descr: PyLiteral, depth = 0): number | undefined {
  if (typeof descr === 'string') {
    const size = typestrItemSize(descr);
    return typeof size === 'number' ? size : undefined;
  }
  if (!Array.isArray(descr) || depth >= MAX_DESCR_DEPTH) return undefined;
  let total = 0;
  for (const field of descr) {
    if (!Array.isArray(field) || field.length < 2 || field.length > 3)
      return undefined;
    const size = descrItemSize(field[1], depth + 1);
    const count = field.length === 3 ? elementCount(field[2]) : 1;
    if (size === undefined || count === undefined) return undefined;
    total += size * count;
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Number of elements of a shape (a tuple of non-negative integers, or a bare integer for sub-arrays). */
export function elementCount(shape: PyLiteral): number | undefined {
  const dims = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(dims)) return undefined;
  let count = 1;
  for (const dim of dims) {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0)
      return undefined;
    count *= dim;
  }
  return Number.isSafeInteger(count) ? count : undefined;
}

/** Elements of an array shape, exact whatever the product (0 when any dimension is 0). */
export function exactElementCount(shape: readonly bigint[]): bigint {
  return shape.reduce((count, dim) => count * dim, 1n);
}
