/**
 * Finds the end of the JSON object or array that starts at `start` by matching brackets outside
 * strings, reading at most `maxLength` bytes. Used to lift JSON out of binary containers (HDF5
 * attributes) without a parser for the container. Returns the exclusive end, or undefined.
 */
export function matchJsonEnd(
  bytes: Uint8Array,
  start: number,
  maxLength: number,
): number | undefined {
  const open = bytes[start];
  if (open !== 0x7b && open !== 0x5b) return undefined;
  const limit = Math.min(bytes.length, start + maxLength);
  let depth = 0;
  let inString = false;
  for (let i = start; i < limit; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
      continue;
    }
    if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

/** `JSON.parse` that reports failure as undefined instead of throwing. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
