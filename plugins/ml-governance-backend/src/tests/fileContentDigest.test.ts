import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ALICE,
  BOB,
  MALICIOUS_PICKLE,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';
import { modelEntity } from '../__testUtils__/testData';

jest.setTimeout(120_000);

const as = (user: string) => mockCredentials.user.header(user);
const PAST = new Date('2026-01-01T00:00:00Z');

/** A protocol-2 pickle of a plain string, exactly as long as MALICIOUS_PICKLE (BINUNICODE, MEMOIZE, STOP). */
const BENIGN_PICKLE = (() => {
  const text = Buffer.alloc(MALICIOUS_PICKLE.length - 10, 'a');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(text.length);
  return Buffer.concat([
    Buffer.from('\x80\x02X', 'latin1'),
    length,
    text,
    Buffer.from('q\x00.', 'latin1'),
  ]);
})();

/**
 * `file:` targets are versioned by content through the whole backend: swapping bytes under a kept
 * size and mtime is a new version that gets scanned, and a rejected artifact stays refused when it
 * is touched or copied elsewhere (both used to make a new digest, or none).
 */
describe('file: targets versioned by content', () => {
  let harness: TestHarness;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mlgov-content-digest-'));
    for (const dir of ['swapped', 'rejected', 'copy'])
      mkdirSync(join(root, dir));
    writeFileSync(join(root, 'swapped', 'model.pkl'), BENIGN_PICKLE);
    utimesSync(join(root, 'swapped', 'model.pkl'), PAST, PAST);
    writeFileSync(join(root, 'rejected', 'model.pkl'), BENIGN_PICKLE);
    const catalogFile = join(root, 'catalog-info.yaml');
    const entity = (name: string, artifacts: string) =>
      modelEntity({
        name,
        owner: 'group:default/fraud',
        catalogFile,
        artifacts,
      });
    harness = await startMlGovernanceBackend({
      allowedFileRoots: [root],
      entities: [
        entity('swapped-model', 'file:./swapped'),
        entity('rejected-model', 'file:./rejected'),
        entity('copied-model', 'file:./copy'),
      ],
    });
    await harness.runTask('ml-governance-scan-round');
  });

  afterAll(() => harness.stop());

  const versions = async (name: string) =>
    (
      await request(harness.server)
        .get(`/api/ml-governance/entities/resource/default/${name}/versions`)
        .set('Authorization', as(ALICE))
    ).body as { id: string; digest: string; stage: string; decision: string }[];
  const ruleIds = async (name: string) =>
    (
      await request(harness.server)
        .get(`/api/ml-governance/entities/resource/default/${name}/findings`)
        .set('Authorization', as(ALICE))
    ).body.items.map((f: { ruleId: string }) => f.ruleId) as string[];
  const rescan = async (...names: string[]) => {
    harness.clock.now = new Date(harness.clock.now.getTime() + 30 * 60_000);
    for (const name of names)
      await request(harness.server)
        .post(`/api/ml-governance/entities/resource/default/${name}/scans`)
        .set('Authorization', as(ALICE))
        .send({});
    await harness.runTask('ml-governance-scan-round');
  };

  it('scans bytes swapped under the same size and mtime as a new version', async () => {
    const [before] = await versions('swapped-model');
    expect(before).toMatchObject({ decision: 'PASS' });
    const file = join(root, 'swapped', 'model.pkl');
    writeFileSync(file, MALICIOUS_PICKLE);
    utimesSync(file, PAST, PAST);
    expect(statSync(file).size).toBe(BENIGN_PICKLE.length);

    await rescan('swapped-model');
    const after = await versions('swapped-model');
    expect(after.map(v => v.digest)).toContain(before.digest);
    expect(after).toHaveLength(2);
    expect(await ruleIds('swapped-model')).toContain('PICKLE-EXEC');
  });

  it('keeps a rejected artifact refused when it is touched or copied under another entity', async () => {
    const [version] = await versions('rejected-model');
    const rejected = await request(harness.server)
      .post(`/api/ml-governance/versions/${version.id}/reject`)
      .set('Authorization', as(BOB))
      .send({ reason: 'Backdoor found in functional testing' });
    expect(rejected.status).toBe(200);

    const touched = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'rejected', 'model.pkl'), touched, touched);
    copyFileSync(
      join(root, 'rejected', 'model.pkl'),
      join(root, 'copy', 'model.pkl'),
    );
    await rescan('rejected-model', 'copied-model');

    expect((await versions('rejected-model')).map(v => v.digest)).toEqual([
      version.digest,
    ]);
    // The copy's folder was empty at the first scan: its new version is the rejected digest.
    const copy = (await versions('copied-model')).find(
      v => v.digest === version.digest,
    );
    expect(copy).toMatchObject({ stage: 'rejected' });
    expect(await ruleIds('copied-model')).toContain('INTAKE-REJECTED-ARTIFACT');
  });
});
