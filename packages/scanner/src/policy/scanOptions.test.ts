import { parsePolicy } from './parsePolicy';
import { scanOptionsFromPolicy, withFailOn } from './scanOptions';

describe('scanOptionsFromPolicy', () => {
  it('hands ignores, limits and reader options (opaque licence and OSV settings included) to the scanner', () => {
    const policy = parsePolicy(`apiVersion: mlgov/v1
ignore_paths: ["docs/**"]
limits: { maxDepth: 2 }
trusted_globals: [our.Scaler]
hardened_modules: [our.loader]
pinned_hashes: { m.safetensors: ${'0'.repeat(64)} }
licences: { deny: [AGPL-3.0-only] }
osv: { offline: osv.zip }
`);
    expect(scanOptionsFromPolicy(policy)).toEqual({
      ignore: ['docs/**'],
      limits: { maxDepth: 2 },
      readerOptions: {
        trustedGlobals: ['our.Scaler'],
        hardenedModules: ['our.loader'],
        pinnedHashes: { 'm.safetensors': '0'.repeat(64) },
        licencePolicy: { deny: ['AGPL-3.0-only'] },
        osv: { offline: 'osv.zip' },
      },
    });
  });

  it('keeps ticket_on at or below a lowered fail_on', () => {
    const policy = parsePolicy('apiVersion: mlgov/v1\nticket_on: medium\n');
    expect(withFailOn(policy, 'critical')).toMatchObject({
      failOn: 'critical',
      ticketOn: 'medium',
    });
    expect(withFailOn(policy, 'low')).toMatchObject({
      failOn: 'low',
      ticketOn: 'low',
    });
  });
});

describe('fail_on_missing_license', () => {
  it('reaches the licence checks as missing: deny, keeping the rest of the licence policy', () => {
    const policy = parsePolicy(
      'apiVersion: mlgov/v1\nfail_on_missing_license: true\nlicences:\n  production: true\n',
    );
    expect(scanOptionsFromPolicy(policy).readerOptions?.licencePolicy).toEqual({
      production: true,
      fail_on_missing_license: true,
    });
  });
});
