import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { readImageRegistriesConfig } from './imageRegistriesConfig';

const PEM =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n';
const read = (registries: JsonValue) =>
  readImageRegistriesConfig(
    new ConfigReader({ mlGovernance: { sources: { registries } } }),
  );

describe('mlGovernance.sources.registries', () => {
  it('reads hosts, credentials, extra hosts and signature keys', () => {
    expect(
      read([
        {
          host: 'GHCR.io',
          username: 'bot',
          password: 's3cret',
          additionalHosts: ['*.blob.core.windows.net'],
          signatures: { required: true, publicKeys: [PEM] },
        },
        { host: '127.0.0.1:5000', insecure: true },
      ]),
    ).toEqual([
      {
        host: 'ghcr.io',
        username: 'bot',
        password: 's3cret',
        additionalHosts: ['*.blob.core.windows.net'],
        signatures: { required: true, publicKeys: [PEM] },
      },
      { host: '127.0.0.1:5000', insecure: true },
    ]);
    expect(readImageRegistriesConfig(new ConfigReader({}))).toEqual([]);
  });

  it('refuses a malformed host, half credentials and keys that are not PEM', () => {
    expect(() => read([{ host: 'https://ghcr.io' }])).toThrow(
      /host or host:port/,
    );
    expect(() => read([{ host: 'ghcr.io', username: 'bot' }])).toThrow(
      /username and password go together/,
    );
    expect(() =>
      read([{ host: 'ghcr.io', signatures: { publicKeys: ['not a key'] } }]),
    ).toThrow(/PEM public key/);
  });
});
