import { publicJson, publicView, redactServerPaths } from './publicView';
import { prng } from '../__testUtils__/prng';

describe('redactServerPaths', () => {
  it.each([
    [
      'File target /srv/catalog/models is outside the allowed roots',
      'File target …/models is outside the allowed roots',
    ],
    [
      "file:/srv/catalog/team-a/models: ENOENT: no such file, realpath '/srv/catalog/team-a/models'",
      "file:…/models: ENOENT: no such file, realpath '…/models'",
    ],
    [
      'Target could not be read: file:/etc',
      'Target could not be read: file:…/etc',
    ],
    ['C:\\data\\catalog\\model.pt is unreadable', '…\\model.pt is unreadable'],
  ])('%s', (input, expected) => {
    expect(redactServerPaths(input)).toBe(expected);
  });

  it('leaves URLs, relative paths and entity refs alone', () => {
    const text =
      'https://huggingface.co/org/model/resolve/main/x.bin, models/a.pkl, resource:default/fraud-model, 1/2';
    expect(redactServerPaths(text)).toBe(text);
  });
});

describe('publicView', () => {
  it('drops entityOwner at any depth and redacts messages, targets and paths only', () => {
    const view = publicView({
      entityOwner: 'group:default/fraud',
      target: 'file:/srv/catalog/models',
      justification: 'we checked /srv/catalog ourselves',
      items: [
        {
          entityOwner: 'x',
          message: 'read /srv/catalog/models/a.pkl',
          location: { path: 'a.pkl' },
        },
      ],
      lastScan: {
        error: 'file:/srv/x: failed',
        targets: [{ error: 'EACCES /srv/x/y' }],
      },
    });
    expect(view).toEqual({
      target: 'file:…/models',
      justification: 'we checked /srv/catalog ourselves',
      items: [{ message: 'read …/a.pkl', location: { path: 'a.pkl' } }],
      lastScan: {
        error: 'file:…/x: failed',
        targets: [{ error: 'EACCES …/y' }],
      },
    });
  });
});

describe('publicJson', () => {
  const KEYS = [
    'message',
    'error',
    'target',
    'path',
    'entityOwner',
    'items',
    'title',
    '0',
    'toJSON',
  ];
  const STRINGS = [
    'read /srv/catalog/models/a.pkl',
    'C:\\data\\model.pt failed',
    'https://example.com/x/y',
    'no path here',
    'file:/etc',
    '',
    '\u0000 /tmp/\ud800 x',
  ];

  function value(random: () => number, depth: number): unknown {
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    const roll = random();
    if (depth > 3 || roll < 0.35) return pick(STRINGS);
    if (roll < 0.45) return pick([0, 1.5, -2, true, false, null, undefined]);
    if (roll < 0.5)
      return new Date(Date.UTC(2026, 0, 1 + Math.floor(random() * 28)));
    if (roll < 0.7)
      return Array.from({ length: Math.floor(random() * 4) }, () =>
        value(random, depth + 1),
      );
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 5); i > 0; i--)
      object[pick(KEYS)] = value(random, depth + 1);
    return object;
  }

  it('writes exactly the JSON of publicView, on 2,000 generated values', () => {
    const random = prng(14);
    let redacted = 0;
    let dropped = 0;
    for (let n = 0; n < 2000; n++) {
      const input = value(random, 0);
      const expected = JSON.stringify(publicView(input)) ?? 'null';
      expect(publicJson(input)).toBe(expected);
      if (expected.includes('…')) redacted++;
      if (JSON.stringify(input)?.includes('entityOwner')) dropped++;
    }
    // The generated values exercised both rules.
    expect(redacted).toBeGreaterThan(100);
    expect(dropped).toBeGreaterThan(100);
  });

  it('drops the owner and redacts strings in arrays under message fields', () => {
    expect(
      JSON.parse(
        publicJson({
          entityOwner: 'group:default/a',
          path: [
            '/srv/a/b',
            ['/srv/c/d'],
            { path: '/srv/e/f', entityOwner: 'x' },
          ],
          items: ['/srv/kept/as/is'],
        }),
      ),
    ).toEqual({
      path: ['…/b', ['…/d'], { path: '…/f' }],
      items: ['/srv/kept/as/is'],
    });
  });
});
