import { ConfigReader } from '@backstage/config';
import { RemoteTargetResolver } from './RemoteTargetResolver';
import { readRemoteSourcesConfig } from './remoteSourcesConfig';

const read = (sources: object) =>
  readRemoteSourcesConfig(new ConfigReader({ mlGovernance: { sources } }));

describe('mlGovernance.sources.gcs and .azure', () => {
  it('claims gs://, az:// and Blob service URLs only when their section exists', () => {
    const targets = [
      'gs://ml-models/a',
      'az://mlstore/models/a',
      'https://mlstore.blob.core.windows.net/models/a',
    ];
    expect(
      targets.map(t => new RemoteTargetResolver(read({})).supports(t)),
    ).toEqual([false, false, false]);
    const both = new RemoteTargetResolver(
      read({ gcs: {}, azure: { accounts: { mlstore: {} } } }),
    );
    expect(targets.map(t => both.supports(t))).toEqual([true, true, true]);
    expect(
      new RemoteTargetResolver(read({ gcs: {} })).supports(
        'az://mlstore/models/a',
      ),
    ).toBe(false);
  });

  it('reads credentials, endpoints and allow-lists', () => {
    expect(
      read({
        gcs: {
          endpoint: 'http://127.0.0.1:4443',
          token: 'ya29.x',
          allowedBuckets: ['ml-models'],
          retries: 1,
        },
        azure: {
          accounts: {
            mlstore: { accountKey: 'a2V5' },
            devstoreaccount1: {
              sasToken: 'sv=1&sig=x',
              endpoint: 'http://127.0.0.1:10000/devstoreaccount1',
            },
          },
          allowedContainers: ['models'],
        },
      }),
    ).toEqual({
      gcs: {
        endpoint: 'http://127.0.0.1:4443',
        token: 'ya29.x',
        allowedBuckets: ['ml-models'],
        http: { retries: 1 },
      },
      azure: {
        accounts: {
          mlstore: { accountKey: 'a2V5' },
          devstoreaccount1: {
            sasToken: 'sv=1&sig=x',
            endpoint: 'http://127.0.0.1:10000/devstoreaccount1',
          },
        },
        allowedContainers: ['models'],
        http: {},
      },
    });
  });

  it('passes a service-account key through to the source', () => {
    const key = '{"type":"service_account"}';
    expect(read({ gcs: { serviceAccountKey: key } }).gcs).toMatchObject({
      serviceAccountKey: key,
    });
  });

  it('rejects invalid account names, two credentials for one account and non-http endpoints', () => {
    expect(() => read({ azure: { accounts: { 'Bad.Name': {} } } })).toThrow(
      /3–24 lower-case letters and digits/,
    );
    expect(() =>
      read({
        azure: { accounts: { mlstore: { accountKey: 'k', sasToken: 's' } } },
      }),
    ).toThrow(/not both/);
    expect(() =>
      read({ azure: { accounts: { mlstore: { endpoint: 'file:///etc' } } } }),
    ).toThrow(/http\(s\) URL/);
    expect(() =>
      read({ gcs: { token: 't', serviceAccountKey: '{}' } }),
    ).toThrow(/token or serviceAccountKey, not both/);
    expect(() => read({ gcs: { endpoint: 'gopher://x' } })).toThrow(
      /http\(s\) URL/,
    );
  });
});
