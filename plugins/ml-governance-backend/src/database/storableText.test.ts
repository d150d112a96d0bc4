import { storableJson, storableText, storableValue } from './storableText';

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
});
