import {
  storableJson,
  storableShared,
  storableText,
  storableValue,
  withStorableArguments,
} from './storableText';

describe('storableText', () => {
  it('escapes NUL and lone surrogates visibly, and keeps valid pairs and other text', () => {
    expect(storableText('a\u0000b')).toBe('a\\u0000b');
    expect(storableText('x\uD800y')).toBe('x\\uD800y');
    expect(storableText('x\uDFFFy')).toBe('x\\uDFFFy');
    expect(storableText('\uDC00\uD800')).toBe('\\uDC00\\uD800');
    expect(storableText('ok 😀 é \t\n C:\\path')).toBe('ok 😀 é \t\n C:\\path');
    expect(storableText('\uD83D\uD83D\uDE00')).toBe('\\uD83D😀');
  });

  it('is idempotent: escaping what it produced changes nothing', () => {
    const once = storableText('\u0000\uD800');
    expect(storableText(once)).toBe(once);
  });

  it('escapes strings and keys inside JSON values, so parsing returns the escaped form', () => {
    const value = {
      ['k\u0000']: ['v\uD800', 1, null, { deep: 'd\u0000' }],
      n: 2,
      b: true,
    };
    expect(storableValue(value)).toEqual({
      'k\\u0000': ['v\\uD800', 1, null, { deep: 'd\\u0000' }],
      n: 2,
      b: true,
    });
    expect(JSON.parse(storableJson(value))).toEqual(storableValue(value));
  });

  it('shares what needs no change: the same references come back, and only changed paths are copied', () => {
    const date = new Date(0);
    const map = new Map([['k\u0000', 'v\u0000']]);
    const clean = { a: ['x', 1, { b: 'y' }], date, map };
    expect(storableShared(clean)).toBe(clean);
    const untouched = { keep: 'x' };
    const input = {
      untouched,
      list: ['ok', 'n\u0000'],
      [`k\uD800`]: 1,
      date,
      map,
    };
    const out = storableShared(input);
    expect(out).toEqual({
      untouched,
      list: ['ok', 'n\\u0000'],
      'k\\uD800': 1,
      date,
      map,
    });
    expect(out.untouched).toBe(untouched);
    expect(out.date).toBe(date);
    // Class instances are not walked: a Map's contents are left as they are.
    expect(out.map).toBe(map);
    expect(input.list[1]).toBe('n\u0000');
  });

  it('hands every method its arguments made storable, and leaves other members alone', async () => {
    const seen: unknown[][] = [];
    const store = withStorableArguments({
      limit: 3,
      async get(ref: string, query: { owner: string; refs: string[] }) {
        seen.push([ref, query]);
        return this.limit;
      },
    });
    expect(store.limit).toBe(3);
    await expect(
      store.get('a\u0000', { owner: 'o\uDC00', refs: ['r\uD800', 'ok'] }),
    ).resolves.toBe(3);
    expect(seen).toEqual([
      ['a\\u0000', { owner: 'o\\uDC00', refs: ['r\\uD800', 'ok'] }],
    ]);
  });
});
