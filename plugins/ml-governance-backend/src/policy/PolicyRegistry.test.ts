import { PolicyRegistry } from './PolicyRegistry';

describe('PolicyRegistry', () => {
  it('refuses a config policy naming a trusted_root_file, which it could not read', () => {
    expect(
      () =>
        new PolicyRegistry({
          strict: {
            signatures: { trusted_root_file: 'trusted_root.json' },
          },
        }),
    ).toThrow(
      /strict\.signatures\.trusted_root_file .* signatures\.trusted_root/,
    );
  });

  it('keeps the named policies and a default', () => {
    const registry = new PolicyRegistry({ strict: { fail_on: 'medium' } });
    expect(registry.get('strict').failOn).toBe('medium');
    expect(registry.get(undefined)).toBeDefined();
    expect(() => registry.get('missing')).toThrow(
      /Unknown ML Governance policy/,
    );
  });
});
