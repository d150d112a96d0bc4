import { ConfigReader } from '@backstage/config';
// eslint-disable-next-line @backstage/no-forbidden-package-imports -- the scanner's protocol stand-ins; tests only
import {
  sparseSafetensors,
  startFakeHub,
  startFakeS3,
  type FakeHub,
  type FakeS3,
} from '@ml-governance/scanner/src/test-support/remote';
import { RemoteTargetResolver } from './RemoteTargetResolver';
import { readRemoteSourcesConfig } from './remoteSourcesConfig';

const SHA = 'd'.repeat(40);
let hub: FakeHub;
let s3: FakeS3;

beforeAll(async () => {
  hub = await startFakeHub({
    'acme/model': {
      revisions: { main: SHA },
      files: { 'model.safetensors': sparseSafetensors(1e9, 10) },
    },
  });
  s3 = await startFakeS3({
    models: { 'a/model.safetensors': sparseSafetensors(1e6, 2) },
  });
});
afterAll(async () => {
  await hub.close();
  await s3.close();
});

const resolverFor = (sources: object) =>
  new RemoteTargetResolver(
    readRemoteSourcesConfig(new ConfigReader({ mlGovernance: { sources } })),
  );

describe('RemoteTargetResolver', () => {
  it('claims only the schemes whose source is configured', () => {
    const none = resolverFor({});
    expect(
      [
        'hf://acme/model',
        's3://models/a',
        'mlflow://m/1',
        'https://huggingface.co/acme/model',
      ].map(t => none.supports(t)),
    ).toEqual([false, false, false, false]);
    const hubOnly = resolverFor({ huggingface: { endpoint: hub.hub.origin } });
    expect(hubOnly.supports('hf://acme/model')).toBe(true);
    expect(hubOnly.supports(`${hub.hub.origin}/acme/model`)).toBe(true);
    // A Hub-shaped URL on another host (the metadata address here) is not the configured Hub.
    expect(hubOnly.supports('http://169.254.169.254/latest/meta-data')).toBe(
      false,
    );
    expect(hubOnly.supports('s3://models/a')).toBe(false);
  });

  it('pins a Hub revision to its commit, and reports it unchanged without reading any file byte', async () => {
    const resolver = resolverFor({ huggingface: { endpoint: hub.hub.origin } });
    const first = await resolver.resolve('hf://acme/model', {
      previousDigest: undefined,
    });
    expect(first).toMatchObject({
      unchanged: false,
      digest: `hf:acme/model@${SHA}`,
      path: `hf://acme/model@${SHA}`,
    });
    hub.served.body = 0;
    expect(
      await resolver.resolve('hf://acme/model', {
        previousDigest: first.digest,
      }),
    ).toEqual({ unchanged: true, digest: first.digest });
    expect(hub.served.body).toBe(0);
  });

  it('uses the S3 credentials from config and compares listings by ETag', async () => {
    const resolver = resolverFor({
      s3: {
        endpoint: s3.origin,
        accessKeyId: 'AKIATESTKEY',
        secretAccessKey: 'secret',
        allowedBuckets: ['models'],
      },
    });
    const first = await resolver.resolve('s3://models/a', {});
    expect(first.unchanged).toBe(false);
    expect(
      await resolver.resolve('s3://models/a', { previousDigest: first.digest }),
    ).toMatchObject({ unchanged: true });
    await expect(resolver.resolve('s3://other/a', {})).rejects.toThrow(
      /allowedBuckets/,
    );
  });

  it('rejects endpoints that are not http(s) URLs', () => {
    expect(() =>
      resolverFor({ huggingface: { endpoint: 'file:///etc' } }),
    ).toThrow(/http\(s\) URL/);
    expect(() =>
      resolverFor({ mlflow: { trackingUri: 'gopher://x' } }),
    ).toThrow(/http\(s\) URL/);
  });
});
