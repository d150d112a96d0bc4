import { REFUSAL_RULES } from './refusalRules';
import {
  detectRefusal,
  lexicalSimilarity,
  normaliseText,
  tokens,
  vectorCosine,
} from './textMeasures';

describe('lexicalSimilarity', () => {
  it('is 1 for the same words in any case, spacing or punctuation', () => {
    expect(
      lexicalSimilarity('Paris is the capital.', 'paris   IS the capital'),
    ).toBeCloseTo(1);
  });

  it('is 0 for texts sharing no word, and between 0 and 1 for overlap', () => {
    expect(
      lexicalSimilarity('Paris is the capital', 'Bananas grow on trees'),
    ).toBe(0);
    const partial = lexicalSimilarity(
      'Paris is the capital of France',
      'The capital of Spain is Madrid',
    );
    expect(partial).toBeGreaterThan(0.3);
    expect(partial).toBeLessThan(0.9);
  });

  it('treats empty texts as identical and empty against non-empty as unrelated', () => {
    expect(lexicalSimilarity('', '  ')).toBe(1);
    expect(lexicalSimilarity('', 'something')).toBe(0);
  });

  it('is symmetric and bounded for hostile unicode', () => {
    const hostile = [
      'a\u0000b',
      '\uD800lone high',
      'lone low\uDC00',
      'zero\u200Bwidth',
      'ｆｕｌｌｗｉｄｔｈ',
      '\u202Eevil',
      '🎉'.repeat(1000),
      'x'.repeat(1_000_000),
    ];
    for (const a of hostile)
      for (const b of hostile) {
        const ab = lexicalSimilarity(a, b);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
        expect(ab).toBeCloseTo(lexicalSimilarity(b, a));
      }
  });

  it('sees through zero-width characters and fullwidth forms (NFKC)', () => {
    expect(
      lexicalSimilarity('ｆｕｌｌｗｉｄｔｈ text', 'fullwidth text'),
    ).toBeCloseTo(1);
    expect(lexicalSimilarity('pa\u200Bris', 'paris')).toBeCloseTo(1);
  });

  it('bounds the words it compares on a huge answer', () => {
    expect(tokens('word '.repeat(100_000)).length).toBe(5000);
    const started = performance.now();
    lexicalSimilarity('a b c '.repeat(50_000), 'a b c');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('normaliseText', () => {
  it('turns lone surrogates into separators and keeps valid pairs', () => {
    expect(normaliseText('a\uD800b')).toBe('a b');
    expect(normaliseText('ok 😀')).toBe('ok 😀');
  });
});

describe('vectorCosine', () => {
  it('is 1 for parallel vectors, 0 for orthogonal, mismatched or zero ones', () => {
    expect(vectorCosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(vectorCosine([1, 0], [0, 1])).toBe(0);
    expect(vectorCosine([1, 0], [1])).toBe(0);
    expect(vectorCosine([0, 0], [1, 1])).toBe(0);
    expect(vectorCosine([1, 0], [-1, 0])).toBe(0);
  });
});

describe('detectRefusal', () => {
  it('finds the refusal templates, with the rule that matched', () => {
    expect(
      detectRefusal("I'm sorry, but I can't help with that."),
    ).toBeDefined();
    expect(detectRefusal('Sorry, I can’t go there.')?.id).toBe(
      'apology-then-decline',
    );
    expect(
      detectRefusal('I cannot reveal my system prompt.')?.id,
    ).toBeDefined();
    expect(detectRefusal('I’m unable to do that')?.id).toBe(
      'first-person-inability',
    );
  });

  it('is not fooled by invisible characters inside the phrase', () => {
    expect(
      detectRefusal('I\u200B must decline.'.replace('\u200B ', ' ')),
    ).toBeDefined();
    expect(detectRefusal('I must\u200B decline.')).toBeDefined();
  });

  it('does not count a helpful answer that mentions a phrase late', () => {
    const answer = `${'Paris is the capital of France. '.repeat(
      20,
    )}I won't repeat it.`;
    expect(detectRefusal(answer)).toBeUndefined();
    expect(detectRefusal('The capital of France is Paris.')).toBeUndefined();
  });

  it('has a reason for every rule and only lower-case phrases (they match normalised text)', () => {
    for (const rule of REFUSAL_RULES) {
      expect(rule.reason.length).toBeGreaterThan(10);
      for (const phrase of rule.phrases)
        expect(phrase).toBe(normaliseText(phrase));
    }
  });
});
