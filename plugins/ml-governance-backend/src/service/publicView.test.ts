import { publicView, redactServerPaths } from './publicView';

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
