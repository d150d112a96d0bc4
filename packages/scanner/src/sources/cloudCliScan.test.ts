import { main } from '../cli/main';
import { captureIo } from '../cli/testing';
import {
  sparseSafetensors,
  sparseTorchZip,
  startFakeAzure,
  startFakeGcs,
  torchStateDictPickle,
  type FakeAzure,
  type FakeGcs,
} from '../test-support/remote';

jest.setTimeout(60_000);

const GiB = 1024 ** 3;
const KEY = Buffer.from('cli test key').toString('base64');
let gcs: FakeGcs;
let azure: FakeAzure;

beforeAll(async () => {
  const models = {
    'clean/model.safetensors': sparseSafetensors(2 * GiB, 200),
    'evil/pytorch_model.bin': sparseTorchZip(
      torchStateDictPickle(20, 10, 'id'),
      GiB,
      20,
    ),
  };
  gcs = await startFakeGcs({ models }, { token: 'ya29.cli' });
  azure = await startFakeAzure({
    clistore: { key: KEY, containers: { models } },
  });
});
afterAll(async () => {
  await gcs.close();
  await azure.close();
});

async function run(argv: string[], env: Record<string, string>) {
  const { io, output } = captureIo('/', { env });
  const code = await main(argv, io);
  return { code, ...output };
}

describe('mlgov scan gs:// and az://', () => {
  const azureEnv = () => ({
    AZURE_STORAGE_CONNECTION_STRING: `AccountName=clistore;AccountKey=${KEY};BlobEndpoint=${azure.origin}/clistore`,
  });

  it('reads Cloud Storage through STORAGE_EMULATOR_HOST with the token from the environment', async () => {
    const env = {
      STORAGE_EMULATOR_HOST: `127.0.0.1:${gcs.port}`,
      GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.cli',
    };
    const clean = await run(
      ['scan', 'gs://models/clean/', '--format', 'json'],
      env,
    );
    expect(clean.code).toBe(0);
    const report = JSON.parse(clean.stdout);
    expect(report.remote).toMatchObject({
      kind: 'gcs',
      pinnedUri: 'gs://models/clean/',
    });
    expect(report.remote.bytesTransferred).toBeLessThan(2 * 1_000_000);
    expect((await run(['scan', 'gs://models/evil', '--quiet'], env)).code).toBe(
      20,
    );
    const refused = await run(['scan', 'gs://models/clean/'], {
      ...env,
      GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.expired',
    });
    expect(refused.code).toBe(20);
    expect(refused.stdout).toContain('authentication failed');
  });

  it('reads Azure Blob through a connection string (the Azurite convention), and names an unconfigured account as a usage error', async () => {
    const evil = await run(
      ['scan', 'az://clistore/models/evil', '--format', 'json'],
      azureEnv(),
    );
    expect(evil.code).toBe(20);
    expect(JSON.parse(evil.stdout).remote.kind).toBe('azure');
    const other = await run(
      ['scan', 'az://otherstore/models/evil'],
      azureEnv(),
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('otherstore is not configured');
  });
});
