import fc from 'fast-check';
import { inspectJsonShape } from './strictJson';

describe('inspectJsonShape', () => {
  it('finds duplicate keys at any depth, including ones spelled with escapes', () => {
    expect(
      inspectJsonShape('{"a":1,"b":{"c":1,"c":2},"\\u0061":3}').duplicateKeys,
    ).toEqual(['$.b.c', '$.a']);
  });

  it('agrees with JSON.parse on what is well-formed', () => {
    const agrees = () =>
      fc.assert(
        fc.property(fc.oneof(fc.json(), fc.string()), text => {
          let valid = true;
          try {
            JSON.parse(text);
          } catch {
            valid = false;
          }
          return (
            (inspectJsonShape(text, 1000).syntaxError === undefined) === valid
          );
        }),
        { numRuns: 500 },
      );
    expect(agrees).not.toThrow();
  });

  it('stops at the depth cap instead of recursing', () => {
    expect(
      inspectJsonShape(`${'['.repeat(100000)}${']'.repeat(100000)}`, 64)
        .maxDepthExceeded,
    ).toBe(true);
  });
});
