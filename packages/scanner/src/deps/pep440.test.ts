import {
  satisfiesAll,
  parseSpecifierSet,
  compareVersions,
  publicVersion,
} from './pep440';

const sat = (version: string, spec: string) =>
  satisfiesAll(version, parseSpecifierSet(spec)!);

describe('PEP 440 specifiers on compare()', () => {
  it.each([
    ['1.0', '==1.0.0', true],
    ['1.5.3', '==1.5.*', true],
    ['1.50', '==1.5.*', false],
    ['2.0', '!=2.0.*', false],
    ['2.0a1', '<2.0', false], // pre-release of the excluded bound
    ['2.0a1', '<2.0a2', true],
    ['1.9', '<2.0', true],
    ['2.0.post1', '>2.0', false], // post-release of the bound
    ['2.0.1', '>2.0', true],
    ['2.0.post2', '>2.0.post1', true],
    ['1!1.0', '>=2.0', true], // epoch wins
    ['2.5.1+cu121', '==2.5.1', true], // local label ignored
    ['2.5.1+cu121', '<2.6', true],
    ['2.2.1', '~=2.2', true],
    ['3.0', '~=2.2', false],
    ['1.4.5', '~=1.4.2', true],
    ['1.5.0', '~=1.4.2', false],
    ['1.0.dev1', '>=1.0', false],
    ['1.0-Weird', '===1.0-weird', true],
  ])('%s satisfies %s: %s', (version, spec, expected) => {
    expect(sat(version, spec)).toBe(expected);
  });

  it('orders dev < pre < final < post and strips local labels', () => {
    expect(compareVersions('1.0.dev0', '1.0a1')).toBe(-1);
    expect(compareVersions('1.0rc1', '1.0')).toBe(-1);
    expect(compareVersions('1.0.post1', '1.0')).toBe(1);
    expect(compareVersions('not a version', '1.0')).toBeUndefined();
    expect(publicVersion('2.5.1+cu121')).toBe('2.5.1');
  });
});
