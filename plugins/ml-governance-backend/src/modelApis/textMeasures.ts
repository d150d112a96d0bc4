import { REFUSAL_RULES, type RefusalRule } from './refusalRules';

/**
 * Offline text measures of the prober: lexical similarity and refusal detection. Pure functions;
 * answers are hostile (any unicode, any size), so both normalise first and bound the work.
 */

/** Words compared per text: enough for any answer worth comparing, bounded for a huge one. */
const MAX_TOKENS = 5000;
/** Characters of an answer's start searched for a refusal phrase. */
const REFUSAL_WINDOW = 400;

// Lone surrogates cannot be normalised meaningfully: they become separators.
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Zero-width characters and directional marks hide inside words to defeat matching.
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

/** NFKC, lower case, curly quotes straightened, invisible characters dropped, whitespace collapsed. */
export function normaliseText(text: string, maxChars = 200_000): string {
  return text
    .slice(0, maxChars)
    .replace(LONE_SURROGATE, ' ')
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .toLocaleLowerCase('en-US')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokens(text: string): string[] {
  return (normaliseText(text).match(/[\p{L}\p{N}]+/gu) ?? []).slice(
    0,
    MAX_TOKENS,
  );
}

/**
 * Cosine similarity of the two texts' word counts, 0..1. Two empty texts are identical (1); an
 * empty text against a non-empty one shares nothing (0).
 */
export function lexicalSimilarity(a: string, b: string): number {
  const count = (words: string[]) => {
    const counts = new Map<string, number>();
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
    return counts;
  };
  const left = count(tokens(a));
  const right = count(tokens(b));
  if (left.size === 0 && right.size === 0) return 1;
  if (left.size === 0 || right.size === 0) return 0;
  let dot = 0;
  for (const [word, n] of left) dot += n * (right.get(word) ?? 0);
  const norm = (counts: Map<string, number>) =>
    Math.sqrt([...counts.values()].reduce((sum, n) => sum + n * n, 0));
  return Math.min(1, dot / (norm(left) * norm(right)));
}

/** Cosine of two embedding vectors, clamped to 0..1 (opposite meaning is as far as unrelated). */
export function vectorCosine(a: number[], b: number[]): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) return 0;
  return Math.max(0, Math.min(1, dot / Math.sqrt(na * nb)));
}

/** The rule an answer's opening matches, or undefined when it is not a refusal. */
export function detectRefusal(
  answer: string,
  rules: RefusalRule[] = REFUSAL_RULES,
): RefusalRule | undefined {
  const opening = normaliseText(answer, REFUSAL_WINDOW * 4).slice(
    0,
    REFUSAL_WINDOW,
  );
  return rules.find(rule =>
    rule.phrases.some(phrase => opening.includes(phrase)),
  );
}
