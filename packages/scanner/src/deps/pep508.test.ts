import { parsePep508 } from './pep508';

describe('parsePep508', () => {
  it.each([
    [
      'Torch==2.3.1',
      {
        name: 'torch',
        rawName: 'Torch',
        pinned: '2.3.1',
        specifier: '==2.3.1',
      },
    ],
    [
      'scikit_learn[alldeps] (>=1.0, <2)',
      { name: 'scikit-learn', extras: ['alldeps'], specifier: '>=1.0, <2' },
    ],
    ['pkg===1.0-weird', { pinned: '1.0-weird' }],
    [
      'name @ https://example.com/p.whl ; sys_platform == "linux"',
      { url: 'https://example.com/p.whl', marker: 'sys_platform == "linux"' },
    ],
    [
      'zope.interface~=5.4',
      { name: 'zope-interface', clauses: [{ operator: '~=', version: '5.4' }] },
    ],
  ])('parses %s', (input, expected) => {
    const parsed = parsePep508(input);
    expect(parsed.ok && parsed.requirement).toMatchObject(expected);
  });

  it.each(['', '==1.0', 'foo[bar', 'foo >=', 'foo @', 'foo ; '])(
    'rejects %p with a message',
    input => {
      const parsed = parsePep508(input);
      expect(parsed.ok).toBe(false);
    },
  );
});
