import { inspectJsonShape } from '../common/strictJson';
import { isPlainObject } from '../common/boundedJson';

/** Bits per element of each safetensors dtype (sub-byte float types pack several per byte). */
export const SAFETENSORS_DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  I64: 64,
  U64: 64,
  F64: 64,
  C64: 64,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
};

export interface SafetensorsIssue {
  /** Stable, offset-free identity of the problem (becomes the signal key). */
  key: string;
  message: string;
  tensor?: string;
}

export interface SafetensorsHeader {
  tensorCount: number;
  metadata: Record<string, string>;
  issues: SafetensorsIssue[];
}

const MAX_ISSUES = 20;

/** Reads the little-endian u64 header length; beyond 2^53 it is still "too large", so a number is fine. */
export function headerLengthOf(prefix: Uint8Array): number {
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  return view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
}

interface Span {
  name: string;
  begin: number;
  end: number;
}

/**
 * Validates a safetensors header against the data region it describes (`dataSize` bytes after the
 * header). Pure: takes the header text, returns every problem found (capped).
 */
export function validateSafetensorsHeader(
  headerText: string,
  dataSize: number,
): SafetensorsHeader {
  const result: SafetensorsHeader = {
    tensorCount: 0,
    metadata: {},
    issues: [],
  };
  const issue = (key: string, message: string, tensor?: string) => {
    if (result.issues.length < MAX_ISSUES)
      result.issues.push({ key, message, tensor });
  };

  if (!headerText.startsWith('{')) {
    issue('header-not-object', 'the header does not start with "{"');
    return result;
  }
  const shape = inspectJsonShape(headerText, 8);
  if (shape.syntaxError) {
    issue(
      'header-not-json',
      `the header is not valid JSON (${shape.syntaxError})`,
    );
    return result;
  }
  if (shape.maxDepthExceeded) {
    issue(
      'header-too-deep',
      'the header nests deeper than any valid safetensors header',
    );
    return result;
  }
  for (const path of shape.duplicateKeys) {
    issue(
      `duplicate-key:${path}`,
      `key ${path} appears more than once; parsers disagree on which value wins`,
    );
  }
  const header: unknown = JSON.parse(headerText);
  if (!isPlainObject(header)) {
    issue('header-not-object', 'the header is not a JSON object');
    return result;
  }

  const spans: Span[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      checkMetadata(entry, result, issue);
      continue;
    }
    result.tensorCount++;
    const span = checkTensor(name, entry, issue);
    if (span) spans.push(span);
  }
  checkLayout(spans, dataSize, issue);
  return result;
}

function checkMetadata(
  entry: unknown,
  result: SafetensorsHeader,
  issue: (key: string, message: string, tensor?: string) => void,
) {
  if (!isPlainObject(entry)) {
    issue('metadata-not-object', '__metadata__ is not an object of strings');
    return;
  }
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value !== 'string') {
      issue(
        `metadata-not-string:${key}`,
        `__metadata__.${key} is a ${
          Array.isArray(value) ? 'array' : typeof value
        }, not a string`,
      );
    } else {
      result.metadata[key] = value;
    }
  }
}

function checkTensor(
  name: string,
  entry: unknown,
  issue: (key: string, message: string, tensor?: string) => void,
): Span | undefined {
  if (!isPlainObject(entry)) {
    issue(
      `tensor-not-object:${name}`,
      `tensor "${name}" is not an object`,
      name,
    );
    return undefined;
  }
  const { dtype, shape, data_offsets: offsets } = entry;
  const bits =
    typeof dtype === 'string' ? SAFETENSORS_DTYPE_BITS[dtype] : undefined;
  if (bits === undefined) {
    issue(
      `unknown-dtype:${name}`,
      `tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}`,
      name,
    );
  }
  const isCount = (v: unknown): v is number =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    issue(
      `bad-shape:${name}`,
      `tensor "${name}" has a shape that is not a list of non-negative integers`,
      name,
    );
    return undefined;
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(isCount) ||
    offsets[0] > offsets[1]
  ) {
    issue(
      `bad-offsets:${name}`,
      `tensor "${name}" has data_offsets that are not [begin, end] with begin <= end`,
      name,
    );
    return undefined;
  }
  const [begin, end] = offsets as [number, number];
  if (bits !== undefined) {
    // BigInt: a hostile shape like [2^40, 2^40] must not wrap around into a plausible size.
    const totalBits =
      shape.reduce((acc: bigint, dim: number) => acc * BigInt(dim), 1n) *
      BigInt(bits);
    if (totalBits % 8n !== 0n) {
      issue(
        `partial-byte:${name}`,
        `tensor "${name}" does not fill a whole number of bytes`,
        name,
      );
    } else if (totalBits / 8n !== BigInt(end - begin)) {
      issue(
        `size-mismatch:${name}`,
        `tensor "${name}" (${dtype} ${JSON.stringify(shape)}) needs ${
          totalBits / 8n
        } bytes but its offsets span ${end - begin}`,
        name,
      );
    }
  }
  return { name, begin, end };
}

function checkLayout(
  spans: Span[],
  dataSize: number,
  issue: (key: string, message: string, tensor?: string) => void,
) {
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const span of spans) {
    if (span.begin < cursor) {
      issue(
        `overlap:${span.name}`,
        `tensor "${span.name}" overlaps the tensor before it (starts at ${span.begin}, previous ends at ${cursor})`,
        span.name,
      );
    } else if (span.begin > cursor) {
      issue(
        `gap:${span.name}`,
        `${span.begin - cursor} unaccounted bytes before tensor "${span.name}"`,
        span.name,
      );
    }
    cursor = Math.max(cursor, span.end);
  }
  if (cursor > dataSize) {
    issue(
      'beyond-eof',
      `tensor data ends at ${cursor} but the data region holds only ${dataSize} bytes`,
    );
  } else if (cursor < dataSize) {
    issue(
      'trailing-data',
      `${
        dataSize - cursor
      } bytes after the last tensor are not described by the header`,
    );
  }
}
