import { createScanner } from '../../createScanner';
import { PickleWriter } from '../../formats/pickle/testing/pickleWriter';
import {
  sparseSafetensors,
  sparseTorchZip,
  startFakeAzure,
  torchStateDictPickle,
  VirtualObject,
  type FakeAzure,
} from '../../test-support/remote';
import {
  createRemoteSource,
  isRemoteUri,
  newTransferContext,
  remoteSourcesFromEnv,
  type RemoteSourcesConfig,
} from '../remoteSources';
import { scanRemoteSource } from '../scanRemote';
import type { AzureAccountOptions } from './AzureBlobSource';
import { parseAzureBlobUri } from './AzureBlobSource';

jest.setTimeout(60_000);

const GiB = 1024 ** 3;
const KEY = Buffer.from('mlgov fake azure account key 0123456789').toString(
  'base64',
);
const SAS_SIG = 'c2lnbmF0dXJl';
let azure: FakeAzure;
const sleeps: number[] = [];

const evilPickle = PickleWriter.create()
  .proto(2)
  .global('subprocess', 'Popen')
  .binUnicode('id')
  .raw(0x85)
  .reduce()
  .stop()
  .bytes();

beforeAll(async () => {
  const models = {
    'llm/config.json': VirtualObject.of('{"model_type":"llama"}'),
    'llm/model.safetensors': sparseSafetensors(1.5 * GiB, 300),
    'llm/tokenizer/evil.pkl': VirtualObject.of(evilPickle),
    'llm-large/decoy.pkl': VirtualObject.of(evilPickle),
    'torch/model.pt': sparseTorchZip(
      torchStateDictPickle(200, 1000, 'id'),
      1.2 * GiB,
      200,
    ),
  };
  azure = await startFakeAzure(
    {
      mlstore: { key: KEY, containers: { models } },
      sasstore: { sasSignature: SAS_SIG, containers: { models } },
    },
    { pageSize: 2 },
  );
});
afterAll(() => azure.close());
beforeEach(() => {
  azure.served.body = 0;
  azure.served.log.length = 0;
  azure.faults.length = 0;
  sleeps.length = 0;
});

function config(
  accounts: Record<string, AzureAccountOptions> = {
    mlstore: { accountKey: KEY, endpoint: `${azure.origin}/mlstore` },
  },
): RemoteSourcesConfig {
  return {
    azure: {
      accounts,
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

describe('Azure Blob source', () => {
  it('lists a prefix across NextMarker pages with Shared Key and finds a malicious pickle next to 1.5 GiB of safetensors, under 1 MB per GB', async () => {
    const result = await scan('az://mlstore/models/llm');
    expect(result.files.map(f => f.path)).toEqual([
      'config.json',
      'model.safetensors',
      'tokenizer/evil.pkl',
    ]);
    expect(
      result.findings.some(
        f =>
          f.severity === 'critical' &&
          f.location.path === 'tokenizer/evil.pkl' &&
          f.message.includes('subprocess.Popen'),
      ),
    ).toBe(true);
    expect(result.findings.filter(f => f.ruleId.startsWith('SCAN-'))).toEqual(
      [],
    );
    expect(result.findings[0].retest).toBe(
      'mlgov scan az://mlstore/models/llm',
    );
    expect(azure.served.body).toBeLessThan(1.5 * 1_000_000);
    expect(result.remote?.bytesTransferred).toBe(azure.served.body);
    const lists = azure.served.log.filter(e => e.url.includes('comp=list'));
    expect(lists).toHaveLength(2);
    expect(lists[1].url).toContain('marker=');
    expect(
      azure.served.log.every(e =>
        e.authorization?.startsWith('SharedKey mlstore:'),
      ),
    ).toBe(true);
  });

  it('judges a 1.2 GiB PyTorch zip read with a SAS token', async () => {
    const result = await scan(
      'az://sasstore/models/torch/model.pt',
      config({
        sasstore: {
          sasToken: `?sv=2021-08-06&sr=c&sp=rl&sig=${encodeURIComponent(
            SAS_SIG,
          )}`,
          endpoint: `${azure.origin}/sasstore`,
        },
      }),
    );
    expect(result.files.map(f => f.path)).toEqual(['model.pt']);
    expect(
      result.findings.some(
        f => f.severity === 'critical' && f.message.includes('os.system'),
      ),
    ).toBe(true);
    expect(azure.served.body).toBeLessThan(1.2 * 1_000_000);
    expect(azure.served.log.every(e => e.authorization === undefined)).toBe(
      true,
    );
  });

  it('gives the same digest while ETags stay, with no blob byte transferred, and a new one after an overwrite', async () => {
    const first = await createRemoteSource(
      'az://mlstore/models/llm/',
      config(),
    ).digest();
    expect(
      await createRemoteSource('az://mlstore/models/llm/', config()).digest(),
    ).toBe(first);
    expect(azure.served.body).toBe(0);
    const container = azure.accounts.mlstore.containers.models;
    const original = container['llm/config.json'];
    container['llm/config.json'] = VirtualObject.of('{"changed":1}');
    try {
      expect(
        await createRemoteSource('az://mlstore/models/llm/', config()).digest(),
      ).not.toBe(first);
    } finally {
      container['llm/config.json'] = original;
    }
  });

  it('fails the read of a blob replaced after listing (If-Match, 412)', async () => {
    const tree = await createRemoteSource(
      'az://mlstore/models/torch/model.pt',
      config(),
    ).open();
    const container = azure.accounts.mlstore.containers.models;
    const original = container['torch/model.pt'];
    container['torch/model.pt'] = VirtualObject.of(evilPickle);
    try {
      await expect(tree.files[0].open().read(0, 10)).rejects.toThrow(
        /412 \(ConditionNotMet\): the blob changed/,
      );
    } finally {
      container['torch/model.pt'] = original;
    }
  });

  it('names authentication for a wrong key, a wrong SAS token or none: never a pass', async () => {
    const endpoint = `${azure.origin}/mlstore`;
    const wrongKey = Buffer.from('another key').toString('base64');
    for (const [account, words] of [
      [
        { accountKey: wrongKey, endpoint },
        /403 \(AuthenticationFailed\): authentication failed: the configured Shared Key/,
      ],
      [
        { sasToken: 'sv=2021-08-06&sig=bad', endpoint },
        /authentication failed: the configured SAS token/,
      ],
      [
        { endpoint },
        /401 \(NoAuthenticationInformation\): authentication required/,
      ],
    ] as const) {
      const result = await scan(
        'az://mlstore/models/llm',
        config({ mlstore: account }),
      );
      expect(result.findings).toEqual([
        expect.objectContaining({
          ruleId: 'SCAN-REMOTE-INCOMPLETE',
          severity: 'high',
          message: expect.stringMatching(words),
        }),
      ]);
      // The SAS token never shows up in a message.
      expect(JSON.stringify(result)).not.toContain('sig=bad');
    }
  });

  it('retries 429 and 503 honouring Retry-After, and reports a blob it still cannot read as incomplete', async () => {
    azure.faults.push(
      { match: /comp=list/, status: 503, headers: { 'Retry-After': '2' } },
      { match: /config\.json/, status: 429, headers: { 'Retry-After': '1' } },
    );
    const ok = await scan('az://mlstore/models/llm/config.json');
    expect(ok.findings.filter(f => f.ruleId.startsWith('SCAN-'))).toEqual([]);
    expect(sleeps).toEqual([2000, 1000]);

    azure.faults.push({ match: /evil\.pkl/, status: 500, times: 3 });
    const broken = await scan('az://mlstore/models/llm');
    expect(
      broken.findings.filter(f => f.ruleId === 'SCAN-REMOTE-INCOMPLETE'),
    ).toEqual([
      expect.objectContaining({
        location: expect.objectContaining({ path: 'tokenizer/evil.pkl' }),
        message: expect.stringContaining('HTTP 500'),
      }),
    ]);
  });

  it('reaches only configured accounts and parses az:// and blob.core.windows.net URLs', () => {
    expect(parseAzureBlobUri('az://mlstore/models/a/b')).toEqual({
      account: 'mlstore',
      container: 'models',
      prefix: 'a/b',
    });
    expect(
      parseAzureBlobUri('https://mlstore.blob.core.windows.net/models/a%20b'),
    ).toEqual({ account: 'mlstore', container: 'models', prefix: 'a b' });
    for (const bad of [
      'az://ML_store/models/a',
      'az://mlstore/Models/a',
      'az://mlstore',
      'https://mlstore.blob.core.windows.net.evil.example/models/a',
      'https://mlstore.blob.core.windows.net:8443/models/a',
      'https://169.254.169.254/models/a',
    ])
      expect([bad, parseAzureBlobUri(bad)]).toEqual([bad, undefined]);
    expect(isRemoteUri('https://mlstore.blob.core.windows.net/models/a')).toBe(
      true,
    );
    expect(isRemoteUri('https://example.com/models/a')).toBe(false);
    // An annotation names the account; only configured accounts (and their own hosts) are reachable.
    expect(() =>
      createRemoteSource('az://otherstore/models/a', config()),
    ).toThrow(/storage account otherstore is not configured/);
    expect(() =>
      createRemoteSource('az://constructor/models/a', config()),
    ).toThrow(/not configured/);
    expect(() =>
      createRemoteSource('az://mlstore/other/a', {
        azure: { ...config().azure!, allowedContainers: ['models'] },
      }),
    ).toThrow(/allowedContainers/);
  });

  it('reads the Azure CLI variables, with a connection string naming an Azurite endpoint', () => {
    expect(
      remoteSourcesFromEnv({
        AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`,
      }).azure,
    ).toEqual({
      accounts: {
        devstoreaccount1: {
          accountKey: KEY,
          endpoint: 'http://127.0.0.1:10000/devstoreaccount1',
        },
      },
    });
    expect(
      remoteSourcesFromEnv({
        AZURE_STORAGE_ACCOUNT: 'mlstore',
        AZURE_STORAGE_SAS_TOKEN: 'sv=1&sig=x',
      }).azure,
    ).toEqual({ accounts: { mlstore: { sasToken: 'sv=1&sig=x' } } });
    expect(remoteSourcesFromEnv({}).azure).toBeUndefined();
  });
});
