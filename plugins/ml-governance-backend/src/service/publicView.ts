/**
 * What readers of the API may see of stored records. The store carries a denormalised `entityOwner`
 * for permission checks and reports, and scan errors quote resolved server locations
 * (`file:/srv/catalog/models`, `/etc`) that tell an attacker how the portal's disk is laid out.
 */

/**
 * Fields that may quote a resolved server location: errors and messages the backend writes, and the
 * resolved targets and locations of scans (`file:./models` in a catalog file becomes
 * `file:/srv/catalog/team/models`). Only absolute paths inside them are touched.
 */
const MESSAGE_FIELDS = new Set(['error', 'message', 'target', 'path']);

/**
 * An absolute POSIX path (optionally `file:`-prefixed) not preceded by a word, dot, colon or slash —
 * so `https://host/x` and `a/b` stay as they are — or a Windows drive path.
 */
const POSIX_PATH = /(?<![\w.:/~\\-])(file:)?(\/[^\s'"`;,)\]]+)/g;
const WINDOWS_PATH = /(?<![\w])(file:)?([A-Za-z]:\\[^\s'"`;,)\]]+)/g;

/** `file:/srv/catalog/models` → `file:…/models`: the file name stays, the server layout goes. */
export function redactServerPaths(text: string): string {
  // Most messages quote no path: two regular expressions over them would find nothing.
  if (!text.includes('/') && !text.includes('\\')) return text;
  return text
    .replace(POSIX_PATH, (_m, scheme: string | undefined, path: string) => {
      const last = path.replace(/\/+$/, '').split('/').pop() || '';
      return `${scheme ?? ''}…/${last}`;
    })
    .replace(WINDOWS_PATH, (_m, scheme: string | undefined, path: string) => {
      const last = path.replace(/\\+$/, '').split('\\').pop() || '';
      return `${scheme ?? ''}…\\${last}`;
    });
}

/** Deep copy of a response body without `entityOwner` and with server paths redacted. */
export function publicView<T>(value: T): T {
  return visit(value, undefined) as T;
}

function visit(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string')
    return key && MESSAGE_FIELDS.has(key) ? redactServerPaths(value) : value;
  if (Array.isArray(value)) return value.map(item => visit(item, key));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'entityOwner') continue;
      out[k] = visit(v, k);
    }
    return out;
  }
  return value;
}

/** Strings inside an array under a message field are redacted as {@link visit} does; objects keep theirs. */
function redactItems(items: unknown[]): unknown[] {
  return items.map(item => {
    if (typeof item === 'string') return redactServerPaths(item);
    return Array.isArray(item) ? redactItems(item) : item;
  });
}

function publicReplacer(this: unknown, key: string, value: unknown): unknown {
  if (key === 'entityOwner' && !Array.isArray(this)) return undefined;
  if (!MESSAGE_FIELDS.has(key) || Array.isArray(this)) return value;
  if (typeof value === 'string') return redactServerPaths(value);
  return Array.isArray(value) ? redactItems(value) : value;
}

/**
 * The JSON of {@link publicView}, written in one pass without the deep copy: what the router sends.
 * `JSON.parse(publicJson(x))` equals `JSON.parse(JSON.stringify(publicView(x)))` for every value
 * (publicView.test.ts checks it on generated values).
 */
export function publicJson(value: unknown): string {
  return JSON.stringify(value, publicReplacer) ?? 'null';
}
