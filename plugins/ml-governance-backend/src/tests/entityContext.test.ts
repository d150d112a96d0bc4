import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { modelEntity } from '../__testUtils__/testData';
import {
  BOB,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const FAR = { frequency: { hours: 24 }, timeout: { minutes: 5 } };
const card = (licence?: string) =>
  `---\n${
    licence ? `license: ${licence}\n` : ''
  }library_name: transformers\n---\n# Scorer\n`;

/**
 * What the catalog says about an entity changes how the same artifact is judged: `spec.lifecycle:
 * production` makes the licence policy deny non-commercial and network-copyleft licences, and a
 * service's code is serving code wherever its modules sit.
 */
describe('entity lifecycle and type reach the scan', () => {
  let harness: TestHarness;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlgov-context-'));
    const folder = (name: string, files: Record<string, string>) => {
      mkdirSync(join(root, name));
      for (const [file, text] of Object.entries(files))
        writeFileSync(join(root, name, file), text);
    };
    folder('nc', { 'README.md': card('cc-by-nc-4.0') });
    folder('agpl', { 'README.md': card('agpl-3.0') });
    folder('unlicensed', { 'README.md': card() });
    folder('svc', {
      'inference.py':
        'import torch\n\ndef refresh(model):\n    torch.save(model, "/models/latest.pt")\n',
    });
    const catalogFile = join(root, 'catalog-info.yaml');
    const model = (
      name: string,
      artifacts: string,
      spec: Record<string, string>,
      annotations: Record<string, string> = {},
    ): Entity => {
      const entity = modelEntity({
        name,
        owner: 'group:default/fraud',
        catalogFile,
        artifacts,
        annotations,
      });
      return { ...entity, spec: { ...entity.spec, ...spec } };
    };
    const service = (name: string, type: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${catalogFile}`,
          'ml-governance.io/source': 'file:./svc',
        },
      },
      spec: { type, owner: 'group:default/fraud', lifecycle: 'production' },
    });
    harness = await startMlGovernanceBackend({
      entities: [
        model('nc-production', 'file:./nc', { lifecycle: 'production' }),
        model('nc-experimental', 'file:./nc', { lifecycle: 'experimental' }),
        model('agpl-production', 'file:./agpl', { lifecycle: 'Production' }),
        model('agpl-experimental', 'file:./agpl', {
          lifecycle: 'experimental',
        }),
        model('unlicensed-default', 'file:./unlicensed', {}),
        model(
          'unlicensed-strict',
          'file:./unlicensed',
          {},
          { 'ml-governance.io/policy': 'licensed' },
        ),
        service('scoring-service', 'service'),
        service('scoring-notebooks', 'notebooks'),
      ],
      allowedFileRoots: [root],
      rootConfig: {
        mlGovernance: {
          schedule: FAR,
          reports: { schedule: FAR },
          approvers: ['group:default/ml-security'],
          policies: { licensed: { fail_on_missing_license: true } },
          scanning: { allowedFileRoots: [root] },
        },
      },
    });
    await harness.runTask('ml-governance-scan-round');
  });

  afterAll(() => harness.stop());

  const outcome = async (ref: string) => {
    const base = `/api/ml-governance/entities/${ref}`;
    const auth = mockCredentials.user.header(BOB);
    const summary = await request(harness.server)
      .get(`${base}/summary`)
      .set('Authorization', auth);
    const findings = await request(harness.server)
      .get(`${base}/findings?status=open`)
      .set('Authorization', auth);
    const rules = (
      findings.body.items as { ruleId: string; severity: string }[]
    )
      .filter(f => f.severity !== 'info')
      .map(f => `${f.ruleId} ${f.severity}`)
      .sort();
    return { decision: summary.body.decision, rules };
  };

  it.each([
    ['resource/default/nc-production', 'BLOCK', ['LICENCE-DENIED high']],
    ['resource/default/nc-experimental', 'TICKET', ['LICENCE-REVIEW medium']],
    ['resource/default/agpl-production', 'BLOCK', ['LICENCE-DENIED high']],
    ['resource/default/agpl-experimental', 'TICKET', ['LICENCE-REVIEW medium']],
    // A card without a licence is not judged unless the policy says what missing means.
    ['resource/default/unlicensed-default', 'PASS', []],
    ['resource/default/unlicensed-strict', 'BLOCK', ['LICENCE-MISSING high']],
  ])('%s: the same artifact is %s', async (ref, decision, rules) => {
    expect(await outcome(ref)).toEqual({ decision, rules });
  });

  it('blocks model export in a service, wherever the module sits', async () => {
    const service = await outcome('component/default/scoring-service');
    expect(service.decision).toBe('BLOCK');
    expect(service.rules.filter(rule => rule.endsWith(' high'))).toEqual([
      'SOURCE-MODEL-EXPORT-PICKLE high',
    ]);
    // The same code in a notebooks component is not serving code.
    expect(
      (await outcome('component/default/scoring-notebooks')).rules,
    ).not.toContain('SOURCE-MODEL-EXPORT-PICKLE high');
  });
});
