import { entityReaderOptions } from './entityScanContext';

describe('entityReaderOptions', () => {
  it('passes the catalog lifecycle to the licence policy, keeping the policy fields', () => {
    expect(
      entityReaderOptions(
        { kind: 'resource', lifecycle: 'production' },
        { licencePolicy: { missing: 'deny' } },
      ),
    ).toEqual({ licencePolicy: { missing: 'deny', lifecycle: 'production' } });
  });

  it('lets a policy that fixes production decide, and leaves a malformed one to be reported', () => {
    const fixed = { licencePolicy: { production: false } };
    expect(
      entityReaderOptions({ kind: 'resource', lifecycle: 'production' }, fixed),
    ).toEqual(fixed);
    expect(
      entityReaderOptions(
        { kind: 'resource', lifecycle: 'production' },
        { licencePolicy: 'deny-all' },
      ),
    ).toEqual({ licencePolicy: 'deny-all' });
  });

  it.each([
    [{ kind: 'component', type: 'service' }, true],
    [{ kind: 'component', type: 'model-server' }, true],
    [{ kind: 'component', type: 'notebooks' }, undefined],
    [{ kind: 'resource', type: 'service' }, undefined],
  ])('%j is a serving project: %s', (entity, serving) => {
    expect(entityReaderOptions(entity, {}).servingProject).toBe(serving);
  });
});
