import fc from 'fast-check';
import { KNOWN_NEIGHBOURS, POPULAR_PACKAGES } from '../data/popularPackages';
import { editDistance, findSquatTarget } from './typosquat';

describe('typosquat detection', () => {
  it('computes optimal-string-alignment distance with transpositions', () => {
    expect(editDistance('numpy', 'nupmy', 2)).toBe(1);
    expect(editDistance('torch', 'touch', 2)).toBe(1);
    expect(editDistance('pandas', 'pandas', 2)).toBe(0);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });

  it.each([
    ['scikitlearn', 'scikit-learn', 'separator'],
    ['huggingfacehub', 'huggingface-hub', 'separator'],
    ['t0rch', 'torch', 'homoglyph'],
    ['numpy1', 'numpy', 'edit-distance-1'],
    ['rnatplotlib', 'matplotlib', 'homoglyph'],
    ['safetensor', 'safetensors', 'edit-distance-1'],
    ['onnxrutnime', 'onnxruntime', 'edit-distance-1'],
    ['transfromerss', 'transformers', 'edit-distance-2'],
  ])('%s imitates %s (%s)', (name, target, technique) => {
    expect(findSquatTarget(name)).toEqual({ target, technique });
  });

  it.each([
    'torch',
    'scikit-learn',
    'scapy',
    'torchx',
    'boto',
    'jax',
    'onnx',
    'xgboost',
    'polars',
    'httpx',
    'django-rest',
    'fastai',
  ])('%s is not a squat', name => {
    expect(findSquatTarget(name)).toBeUndefined();
  });
});

describe('edit distance', () => {
  // The textbook optimal-string-alignment matrix, nothing reused and no early stop.
  function reference(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) =>
      Array.from({ length: b.length + 1 }, (__, j) => (i === 0 ? j : i)),
    );
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(
          d[i - 1][j] + 1,
          d[i][j - 1] + 1,
          d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    return d[a.length][b.length];
  }

  it('agrees with the full matrix up to its bound, across reused rows of any width', () => {
    const word = fc.string({
      unit: fc.constantFrom('a', 'b', 'c', '-', 'ı'),
      maxLength: 90,
    });
    fc.assert(
      fc.property(word, word, fc.constantFrom(1, 2), (a, b, max) => {
        // Above the bound only "more than max" is promised.
        expect(Math.min(editDistance(a, b, max), max + 1)).toBe(
          Math.min(reference(a, b), max + 1),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('typosquat index', () => {
  // The first version: every target compared in turn, in list order. The index must agree with it.
  function naiveSquatTarget(name: string) {
    const popular = POPULAR_PACKAGES;
    if (popular.includes(name) || KNOWN_NEIGHBOURS.includes(name))
      return undefined;
    const shape = (text: string) =>
      text
        .replace(/-/g, '')
        .replace(/rn/g, 'm')
        .replace(/vv/g, 'w')
        .replace(/0/g, 'o')
        .replace(/1/g, 'l')
        .replace(/5/g, 's')
        .replace(/3/g, 'e')
        .replace(/[ı|]/g, 'l')
        .replace(/i/g, 'l');
    for (const target of popular)
      if (name.replace(/-/g, '') === target.replace(/-/g, ''))
        return { target, technique: 'separator' };
    for (const target of popular)
      if (shape(name) === shape(target))
        return { target, technique: 'homoglyph' };
    for (const target of popular)
      if (target.length >= 5 && editDistance(name, target, 1) === 1)
        return { target, technique: 'edit-distance-1' };
    for (const target of popular)
      if (
        target.length >= 8 &&
        name.length >= 8 &&
        editDistance(name, target, 2) === 2
      )
        return { target, technique: 'edit-distance-2' };
    return undefined;
  }

  const mutated = fc
    .tuple(
      fc.constantFrom(...POPULAR_PACKAGES, ...KNOWN_NEIGHBOURS),
      fc.array(
        fc.tuple(
          fc.constantFrom('insert', 'delete', 'swap', 'replace'),
          fc.nat(),
          fc.constantFrom(
            'a',
            'e',
            'i',
            'l',
            '1',
            '0',
            '-',
            'r',
            'n',
            'm',
            's',
          ),
        ),
        { maxLength: 3 },
      ),
    )
    .map(([base, edits]) => {
      let name = base;
      for (const [kind, at, char] of edits) {
        const i = name.length === 0 ? 0 : at % name.length;
        if (kind === 'insert') name = name.slice(0, i) + char + name.slice(i);
        else if (kind === 'delete') name = name.slice(0, i) + name.slice(i + 1);
        else if (kind === 'replace')
          name = name.slice(0, i) + char + name.slice(i + 1);
        else if (i + 1 < name.length)
          name = name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
      }
      return name;
    });

  it('finds the same target and technique as comparing every popular name in turn', () => {
    fc.assert(
      fc.property(mutated, name => {
        expect(findSquatTarget(name)).toEqual(naiveSquatTarget(name));
      }),
      { numRuns: 1000 },
    );
  });
});
