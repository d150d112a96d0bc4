import { main } from '../cli/main';
import { captureIo } from '../cli/testing';
import {
  sparseSafetensors,
  sparseTorchZip,
  startFakeHub,
  torchStateDictPickle,
  type FakeHub,
} from '../test-support/remote';

jest.setTimeout(30_000);

const GiB = 1024 ** 3;
const SHA = 'c'.repeat(40);
let hub: FakeHub;

beforeAll(async () => {
  hub = await startFakeHub({
    'acme/clean': {
      revisions: { main: SHA },
      token: 'hf_cli',
      files: { 'model.safetensors': sparseSafetensors(4 * GiB, 500) },
    },
    'acme/evil': {
      revisions: { main: SHA },
      files: {
        'pytorch_model.bin': sparseTorchZip(
          torchStateDictPickle(2, 10, 'id'),
          GiB,
          2,
        ),
      },
    },
  });
});
afterAll(() => hub.close());

async function run(argv: string[], env: Record<string, string> = {}) {
  const { io, output } = captureIo('/', {
    env: {
      HF_ENDPOINT: hub.hub.origin,
      MLGOV_HF_REDIRECT_HOSTS: `localhost:${hub.cdn.port}`,
      ...env,
    },
  });
  const code = await main(argv, io);
  return { code, ...output };
}

describe('mlgov scan <remote uri>', () => {
  it('scans a Hub model with HF_TOKEN and reports the commit it read', async () => {
    const { code, stdout } = await run(
      ['scan', 'hf://acme/clean', '--format', 'json'],
      { HF_TOKEN: 'hf_cli' },
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.target).toBe('hf://acme/clean');
    expect(report.remote).toMatchObject({
      revision: SHA,
      pinnedUri: `hf://acme/clean@${SHA}`,
    });
    expect(report.remote.bytesTransferred).toBeLessThan(4 * 1_000_000);
  });

  it('blocks on what the remote checkpoint does, and on a source it could not read', async () => {
    expect((await run(['scan', 'hf://acme/evil', '--quiet'])).code).toBe(20);
    const unreadable = await run(['scan', 'hf://acme/clean']);
    expect(unreadable.code).toBe(20);
    expect(unreadable.stdout).toContain('SCAN-REMOTE-INCOMPLETE');
  });

  it('treats a URI no source accepts as a usage error', async () => {
    const { code, stderr } = await run(['scan', 'mlflow://model/1']);
    expect(code).toBe(2);
    expect(stderr).toContain('MLflow');
  });
});
