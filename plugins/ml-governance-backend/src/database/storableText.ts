/**
 * Text bound for the database, made storable on every engine.
 *
 * PostgreSQL refuses a NUL character in `text`/`varchar` ("invalid byte sequence for encoding UTF8:
 * 0x00") and drivers re-encode lone UTF-16 surrogates (U+D800–U+DFFF without their pair) as U+FFFD,
 * so a write either fails — and a failed findings insert used to leave a stale PASS — or silently
 * changes what an attacker wrote. Both are replaced by their visible escape (`\u0000`, `\uD800`), so
 * the stored text always shows that the bytes were there, and reading back returns the escaped form.
 *
 * Every store write goes through {@link storableText} (plain columns) or {@link storableJson}
 * (JSON-in-text columns: strings are escaped inside the value before it is serialised, so the parsed
 * value read back carries the same visible escape).
 */

// A NUL, or a surrogate half that is not part of a valid pair.
const UNSTORABLE =
  // eslint-disable-next-line no-control-regex -- matching NUL is the point
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escapeCodeUnit(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The text with NUL and lone surrogates replaced by their visible `\uXXXX` escape. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, escapeCodeUnit);
}

/** Deep copy of a JSON-like value with every string (keys included) made storable. */
export function storableValue<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(item => storableValue(item)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        storableText(key),
        storableValue(item),
      ]),
    ) as T;
  }
  return value;
}

/** JSON for a text column, with every string inside made storable first. */
export function storableJson(value: unknown): string {
  return JSON.stringify(storableValue(value));
}

// The same pattern without the global flag, for a test that keeps no state between calls.
const HAS_UNSTORABLE = new RegExp(UNSTORABLE.source);

/**
 * The value with every string in it (arrays and plain objects walked, keys included) made storable,
 * sharing everything that needed no change: the same reference comes back when nothing did, so
 * making a store's arguments storable costs a test per string, not a copy. Class instances (dates,
 * buffers, maps) are passed through as they are.
 */
export function storableShared<T>(value: T): T {
  if (typeof value === 'string')
    return (HAS_UNSTORABLE.test(value) ? storableText(value) : value) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = storableShared(value[i]);
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return (copy ?? value) as T;
  }
  if (value && typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    let copy: Record<string, unknown> | undefined;
    const entries = Object.entries(value as Record<string, unknown>);
    for (const [key, item] of entries) {
      const storableKey = storableShared(key);
      const storableItem = storableShared(item);
      if (storableKey !== key || storableItem !== item) {
        copy = {};
        break;
      }
    }
    if (!copy) return value;
    for (const [key, item] of entries)
      copy[storableShared(key)] = storableShared(item);
    return copy as T;
  }
  return value;
}

/**
 * The store with every argument of every method made storable before the method runs: a key an
 * attacker wrote with a NUL or a lone surrogate (an entity ref, an owner, a digest) then matches its
 * rows as they were stored (escaped), instead of matching nothing on SQLite and failing the whole
 * statement on PostgreSQL. Writes escape their rows too; escaping is idempotent.
 */
export function withStorableArguments<T extends object>(store: T): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const member = Reflect.get(target, property, receiver);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => member.apply(target, storableShared(args));
    },
  });
}

/**
 * A row ready to write: string values made storable. JSON columns are expected to be serialised
 * with {@link storableJson} already (escaping is idempotent on what it produced: `\u0000` text has
 * no NUL left to escape).
 */
export function storableRow<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row))
    out[key] = typeof value === 'string' ? storableText(value) : value;
  return out as T;
}

/**
 * A LIKE pattern matching `text` literally anywhere (wildcards escaped, used with `ESCAPE '\\'`),
 * made storable first as stored text was: a NUL typed into a search matches the stored `\u0000`
 * (and PostgreSQL does not fail on it).
 */
export function likePattern(text: string): string {
  return `%${storableText(text)
    .toLocaleLowerCase('en-US')
    .replace(/[\\%_]/g, c => `\\${c}`)}%`;
}
