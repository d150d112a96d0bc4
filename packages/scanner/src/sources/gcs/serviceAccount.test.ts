import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '../../createScanner';
import {
  sparseSafetensors,
  startFakeGcs,
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
import { parseServiceAccountKey } from './serviceAccount';

const pair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const account = pair();
const EMAIL = 'scanner@ml-gov-test.iam.gserviceaccount.com';
let gcs: FakeGcs;
let folder: string;

beforeAll(async () => {
  gcs = await startFakeGcs(
    {
      models: {
        'a/model.safetensors': sparseSafetensors(1.1 * 1024 ** 3, 100),
        'a/config.json': VirtualObject.of('{"model_type":"bert"}'),
      },
    },
    {
      token: 'ya29.minted',
      serviceAccount: { clientEmail: EMAIL, publicKey: account.publicKey },
    },
  );
  folder = await mkdtemp(join(tmpdir(), 'mlgov-sa-'));
});
afterAll(async () => {
  await gcs.close();
  await rm(folder, { recursive: true, force: true });
});

const keyJson = (privateKey = account.privateKey) =>
  JSON.stringify({
    type: 'service_account',
    project_id: 'ml-gov-test',
    client_email: EMAIL,
    private_key: privateKey,
    token_uri: `${gcs.origin}/token`,
  });

async function scan(config: RemoteSourcesConfig) {
  const transfer = newTransferContext();
  return scanRemoteSource(
    createScanner(),
    createRemoteSource('gs://models/a/', config, transfer),
    transfer,
  );
}

describe('Cloud Storage with a service-account key', () => {
  it('mints one access token for the whole scan with a signed JWT and reads with it', async () => {
    gcs.served.log.length = 0;
    const result = await scan({
      gcs: { endpoint: gcs.origin, serviceAccountKey: keyJson() },
    });
    expect(result.findings.filter(f => f.ruleId.startsWith('SCAN-'))).toEqual(
      [],
    );
    expect(gcs.served.log.filter(e => e.url === '/token')).toHaveLength(1);
    expect(
      gcs.served.log
        .filter(e => e.url !== '/token')
        .every(e => e.authorization === 'Bearer ya29.minted'),
    ).toBe(true);
    expect(result.remote!.bytesTransferred).toBeLessThan(1.1 * 1_000_000);
  });

  it('reads the key file GOOGLE_APPLICATION_CREDENTIALS names (an access token wins over it)', async () => {
    const path = join(folder, 'key.json');
    await writeFile(path, keyJson());
    const config = remoteSourcesFromEnv({
      STORAGE_EMULATOR_HOST: `127.0.0.1:${gcs.port}`,
      GOOGLE_APPLICATION_CREDENTIALS: path,
    });
    expect(config.gcs?.serviceAccountKeyFile).toBe(path);
    const result = await scan(config);
    expect(result.findings.filter(f => f.ruleId.startsWith('SCAN-'))).toEqual(
      [],
    );
    expect(
      remoteSourcesFromEnv({
        GOOGLE_APPLICATION_CREDENTIALS: path,
        GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.x',
      }).gcs,
    ).toEqual({ token: 'ya29.x' });
  });

  it('reports a key the token endpoint refuses as an authentication failure, never a pass', async () => {
    const result = await scan({
      gcs: {
        endpoint: gcs.origin,
        serviceAccountKey: keyJson(pair().privateKey),
        http: { retries: 0 },
      },
    });
    expect(result.findings).toEqual([
      expect.objectContaining({
        ruleId: 'SCAN-REMOTE-INCOMPLETE',
        message: expect.stringMatching(
          /invalid_grant.*authentication failed: the token endpoint refused the service-account key/,
        ),
      }),
    ]);
  });

  it('accepts only service-account keys', () => {
    expect(() =>
      parseServiceAccountKey('{"type":"authorized_user","refresh_token":"x"}'),
    ).toThrow(/only service-account keys/);
    expect(() => parseServiceAccountKey('not json')).toThrow(/not JSON/);
    expect(
      parseServiceAccountKey(
        '{"type":"service_account","client_email":"a@b","private_key":"k"}',
      ).tokenUri,
    ).toBe('https://oauth2.googleapis.com/token');
  });
});
