import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ALICE,
  createExampleCatalog,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const ENTITIES = '/api/ml-governance/entities/resource/default';

/**
 * Scan history names each target as the owner wrote it in the annotation (`file:./models`), next to
 * the resolved location the server read, which readers only ever see redacted.
 */
describe('scan history targets', () => {
  let harness: TestHarness;
  let catalogRoot: string;

  beforeEach(async () => {
    const catalog = createExampleCatalog();
    catalogRoot = catalog.root;
    harness = await startMlGovernanceBackend({
      entities: catalog.entities,
      allowedFileRoots: [catalog.root],
    });
    await harness.runTask('ml-governance-scan-round');
  });

  afterEach(() => harness.stop());

  const scans = async (name: string) => {
    const res = await request(harness.server)
      .get(`${ENTITIES}/${name}/scans`)
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(res.status).toBe(200);
    return res.body;
  };

  it("returns the annotation's own value verbatim, and the resolved server path only redacted", async () => {
    const [run] = await scans('fraud-model');
    expect(run.targets).toEqual([
      expect.objectContaining({
        declared: 'file:./models',
        target: 'file:…/models',
        status: 'scanned',
      }),
    ]);
    expect(JSON.stringify(run)).not.toContain(catalogRoot);
  });

  it('keeps the declared value on failed targets, whose error is redacted', async () => {
    const [broken] = await scans('broken-model');
    expect(broken.targets[0]).toMatchObject({
      declared: 'file:./does-not-exist',
      status: 'failed',
    });
    const [outside] = await scans('outside-model');
    expect(outside.targets[0]).toMatchObject({
      declared: 'file:/etc',
      status: 'failed',
    });
    expect(JSON.stringify([broken, outside])).not.toContain(catalogRoot);
  });
});
