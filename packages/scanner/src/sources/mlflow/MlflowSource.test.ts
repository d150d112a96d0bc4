import { createScanner } from '../../createScanner';
import {
  sparseSafetensors,
  sparseTorchZip,
  startFakeMlflow,
  startFakeS3,
  torchStateDictPickle,
  VirtualObject,
  type FakeMlflow,
  type FakeS3,
} from '../../test-support/remote';
import {
  createRemoteSource,
  newTransferContext,
  type RemoteSourcesConfig,
} from '../remoteSources';
import { scanRemoteSource } from '../scanRemote';
import { parseMlflowUri } from './MlflowSource';

jest.setTimeout(30_000);

const GiB = 1024 ** 3;
const TOKEN = 'mlflow-token';
let mlflow: FakeMlflow;
let s3: FakeS3;

beforeAll(async () => {
  s3 = await startFakeS3({
    'ml-models': {
      'fraud/v2/model.safetensors': sparseSafetensors(3 * GiB, 200),
    },
  });
  mlflow = await startFakeMlflow(
    {
      'fraud-scorer': [
        {
          version: '1',
          runId: 'run-one',
          artifactUri: 'mlflow-artifacts:/0/run-one/artifacts/model',
          stage: 'Archived',
        },
        {
          version: '2',
          runId: 'run-two',
          artifactUri: 's3://ml-models/fraud/v2',
          stage: 'Production',
          aliases: ['champion'],
        },
        {
          version: '3',
          runId: 'run-three',
          artifactUri: 'http://169.254.169.254/latest/meta-data/',
        },
        { version: '4', runId: 'run-four', artifactUri: 'file:///etc' },
        {
          version: '5',
          runId: 'run-five',
          artifactUri: 'mlflow-artifacts://evil.example/0/x',
        },
      ],
    },
    {
      '0/run-one/artifacts/model/MLmodel': VirtualObject.of(
        'flavors:\n  pytorch:\n    pytorch_version: 2.6.0\n',
      ),
      '0/run-one/artifacts/model/data/model.pth': sparseTorchZip(
        torchStateDictPickle(100, 1000, 'id'),
        2 * GiB,
        100,
      ),
    },
    { token: TOKEN },
  );
});
afterAll(async () => {
  await mlflow.close();
  await s3.close();
});
beforeEach(() => {
  mlflow.served.body = 0;
  s3.served.body = 0;
  mlflow.served.log.length = 0;
  s3.served.log.length = 0;
});

const config = (token = TOKEN): RemoteSourcesConfig => ({
  mlflow: {
    trackingUri: mlflow.origin,
    token,
    s3: {
      endpoint: s3.origin,
      credentials: { accessKeyId: 'AKIATESTKEY', secretAccessKey: 's' },
      maxAttempts: 1,
    },
    http: { retries: 0 },
  },
});

async function scan(uri: string, cfg = config()) {
  const transfer = newTransferContext();
  return scanRemoteSource(
    createScanner(),
    createRemoteSource(uri, cfg, transfer),
    transfer,
  );
}

describe('MLflow Model Registry source', () => {
  it('resolves a version number, a stage, an alias and latest to a registry version and its run', async () => {
    const digests = await Promise.all(
      ['1', 'Production', '@champion', 'latest'].map(selector =>
        createRemoteSource(
          `mlflow://fraud-scorer/${encodeURIComponent(selector)}`,
          config(),
        ).digest(),
      ),
    );
    expect(digests).toEqual([
      'mlflow:fraud-scorer/1:run-one',
      'mlflow:fraud-scorer/2:run-two',
      'mlflow:fraud-scorer/2:run-two',
      'mlflow:fraud-scorer/5:run-five',
    ]);
    expect(mlflow.served.body).toBe(0);
  });

  it('scans proxied artifacts by ranges and records the version, run and artifact location', async () => {
    const result = await scan('mlflow://fraud-scorer/1');
    expect(result.remote).toMatchObject({
      kind: 'mlflow',
      revision: '1',
      runId: 'run-one',
      artifactUri: 'mlflow-artifacts:/0/run-one/artifacts/model',
      pinnedUri: 'mlflow://fraud-scorer/1',
    });
    expect(result.files.map(f => f.path)).toEqual([
      'MLmodel',
      'data/model.pth',
    ]);
    expect(
      result.findings.some(
        f => f.severity === 'critical' && f.message.includes('os.system'),
      ),
    ).toBe(true);
    expect(mlflow.served.body).toBeLessThan(2 * 1_000_000);
  });

  it('delegates a version stored in S3 to the S3 source', async () => {
    const result = await scan('mlflow://fraud-scorer/Production');
    expect(result.remote).toMatchObject({
      revision: '2',
      runId: 'run-two',
      artifactUri: 's3://ml-models/fraud/v2',
    });
    expect(result.files.map(f => f.path)).toEqual(['model.safetensors']);
    expect(result.findings.filter(f => f.ruleId.startsWith('SCAN-'))).toEqual(
      [],
    );
    expect(s3.served.body).toBeLessThan(3 * 1_000_000);
  });

  it('refuses artifact locations that would reach metadata, local files or another proxy', async () => {
    for (const version of ['3', '4', '5']) {
      const result = await scan(`mlflow://fraud-scorer/${version}`);
      expect(result.findings).toEqual([
        expect.objectContaining({ ruleId: 'SCAN-REMOTE-INCOMPLETE' }),
      ]);
    }
    // Only registry calls were made: no artifact read, no S3 request, nothing sent where the entry pointed.
    expect(s3.served.log).toEqual([]);
    expect(
      mlflow.served.log.every(entry =>
        entry.url.startsWith('/api/2.0/mlflow/'),
      ),
    ).toBe(true);
  });

  it('reports a refused token and an unknown model as incomplete, never a pass', async () => {
    for (const [uri, cfg] of [
      ['mlflow://fraud-scorer/1', config('wrong')],
      ['mlflow://no-such-model/1', config()],
    ] as const) {
      const result = await scan(uri, cfg);
      expect(result.findings).toEqual([
        expect.objectContaining({ ruleId: 'SCAN-REMOTE-INCOMPLETE' }),
      ]);
    }
  });

  it('parses names and selectors strictly', () => {
    expect(parseMlflowUri('mlflow://fraud%20scorer/3')).toEqual({
      name: 'fraud scorer',
      selector: '3',
    });
    expect(parseMlflowUri('mlflow://a/b/c')).toBeUndefined();
    expect(parseMlflowUri('mlflow://a/..%2F..')).toBeUndefined();
  });
});
