/**
 * Checks JSON text for what `JSON.parse` silently accepts or chokes on: duplicate object keys
 * (the last one wins, so two readers of the same file can see different values) and nesting deep
 * enough to exhaust a recursive consumer. Iterative, linear in the text, never builds values.
 */
export interface JsonShapeReport {
  /** Paths of duplicated keys, e.g. `$.w.dtype`; capped at 20. */
  duplicateKeys: string[];
  maxDepthExceeded: boolean;
  /** Set when the text is not well-formed JSON (the first problem only). */
  syntaxError?: string;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function isJsonWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

interface Frame {
  kind: 'object' | 'array';
  keys: Set<string> | undefined;
  path: string;
}

export function inspectJsonShape(text: string, maxDepth = 64): JsonShapeReport {
  const report: JsonShapeReport = {
    duplicateKeys: [],
    maxDepthExceeded: false,
  };
  const stack: Frame[] = [];
  let i = 0;
  let expectKey = false;
  const fail = (message: string) => {
    report.syntaxError = `${message} at character ${i}`;
    return report;
  };
  const readString = (): string | undefined => {
    // i points at the opening quote; plain runs are sliced, escapes decoded one by one.
    let j = i + 1;
    let out = '';
    let runStart = j;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 0x22) {
        out += text.slice(runStart, j);
        i = j + 1;
        return out;
      }
      if (c < 0x20) return undefined;
      if (c !== 0x5c) {
        j++;
        continue;
      }
      out += text.slice(runStart, j);
      const next = text[j + 1];
      if (next === 'u') {
        const hex = text.slice(j + 2, j + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
        out += String.fromCharCode(parseInt(hex, 16));
        j += 6;
      } else {
        if (next === undefined || !(next in SIMPLE_ESCAPES)) return undefined;
        out += SIMPLE_ESCAPES[next];
        j += 2;
      }
      runStart = j;
    }
    return undefined;
  };
  const skipWhitespace = () => {
    while (i < text.length && isJsonWhitespace(text.charCodeAt(i))) i++;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

  skipWhitespace();
  let valueDone = false;
  let pendingPath: string | undefined;
  while (i < text.length) {
    skipWhitespace();
    if (i >= text.length) break;
    const top = stack[stack.length - 1];
    const ch = text[i];
    if (valueDone) {
      if (!top) return fail('unexpected content after the top-level value');
      if (ch === ',') {
        i++;
        valueDone = false;
        expectKey = top.kind === 'object';
        continue;
      }
      if (
        (ch === '}' && top.kind === 'object') ||
        (ch === ']' && top.kind === 'array')
      ) {
        stack.pop();
        i++;
        continue;
      }
      return fail(`unexpected ${JSON.stringify(ch)}`);
    }
    if (expectKey) {
      if (ch === '}' && top?.kind === 'object' && top.keys?.size === 0) {
        stack.pop();
        i++;
        valueDone = true;
        expectKey = false;
        continue;
      }
      if (ch !== '"') return fail('expected a key');
      const key = readString();
      if (key === undefined) return fail('bad string');
      if (top.keys!.has(key)) {
        if (report.duplicateKeys.length < 20)
          report.duplicateKeys.push(`${top.path}.${key}`);
      } else {
        top.keys!.add(key);
      }
      skipWhitespace();
      if (text[i] !== ':') return fail('expected ":"');
      i++;
      expectKey = false;
      // The value's path is the key's path; remembered on the frame for nested containers.
      pendingPath = `${top.path}.${key}`;
      continue;
    }
    // A value.
    const path = pendingPath ?? (top ? `${top.path}[]` : '$');
    pendingPath = undefined;
    if (ch === '{' || ch === '[') {
      if (stack.length >= maxDepth) {
        report.maxDepthExceeded = true;
        return report;
      }
      stack.push({
        kind: ch === '{' ? 'object' : 'array',
        keys: ch === '{' ? new Set() : undefined,
        path,
      });
      i++;
      if (ch === '{') {
        expectKey = true;
      } else {
        skipWhitespace();
        if (text[i] === ']') {
          stack.pop();
          i++;
          valueDone = true;
        }
      }
      continue;
    }
    if (ch === '"') {
      if (readString() === undefined) return fail('bad string');
    } else if (text.startsWith('true', i)) {
      i += 4;
    } else if (text.startsWith('false', i)) {
      i += 5;
    } else if (text.startsWith('null', i)) {
      i += 4;
    } else {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) return fail(`unexpected ${JSON.stringify(ch)}`);
      i += match[0].length;
    }
    valueDone = true;
  }
  if (stack.length > 0 || !valueDone) return fail('unexpected end of text');
  return report;
}
