/**
 * `ml-governance.io/image` end to end against Debian's real docker-registry: tags resolved to
 * digests through the configured registry only, cosign signatures checked with the configured key,
 * model signatures and sha256 pins, all on the provenance route. Skipped, loudly, without the tools.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @backstage/no-forbidden-package-imports -- the scanner's registry and signing helpers; tests only
import {
  registryToolsInstalled,
  startLocalRegistry,
  type LocalRegistry,
} from '@ml-governance/scanner/src/images/testing/localRegistry';
// eslint-disable-next-line @backstage/no-forbidden-package-imports -- as above
import {
  cosignKey,
  pushCosignSignature,
  type CosignKey,
} from '@ml-governance/scanner/src/images/testing/cosignSigner';
// eslint-disable-next-line @backstage/no-forbidden-package-imports -- as above
import {
  makeBundle,
  newKey,
  statementFor,
} from '@ml-governance/scanner/src/signatures/__testUtils__/signing';
import request from 'supertest';
import { ALICE, startMlGovernanceBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);
if (!registryToolsInstalled)
  console.warn(
    'image provenance tests skipped: docker-registry or skopeo is not installed',
  );
const describeRegistry = registryToolsInstalled ? describe : describe.skip;
const FAR = { frequency: { hours: 24 }, timeout: { minutes: 5 } };

const image = (text: string) => [
  {
    config: { User: '10001', Cmd: ['python', 'serve.py'] },
    layers: [
      [{ name: 'app/serve.py', data: `print(${JSON.stringify(text)})\n` }],
    ],
  },
];

describeRegistry('container images and provenance in the backend', () => {
  let registry: LocalRegistry;
  let producer: CosignKey;

  beforeAll(async () => {
    registry = await startLocalRegistry();
    producer = await cosignKey(registry.dir, 'producer');
  });
  afterAll(async () => registry?.stop());

  it('scans the digest a tag points at, shows who signed it, and rescans when the tag moves', async () => {
    const first = await registry.pushImage('ml/serving', '1.0', image('v1'));
    await pushCosignSignature(registry, 'ml/serving', producer, first);

    // A signed model folder and a pinned file beside the catalog file.
    const root = mkdtempSync(join(tmpdir(), 'mlgov-provenance-'));
    const modelKey = newKey('p256');
    const files = {
      'model.safetensors': 'weights-0123456789',
      'config.json': '{"model_type":"demo"}',
    };
    mkdirSync(join(root, 'model'));
    for (const [name, data] of Object.entries(files))
      writeFileSync(join(root, 'model', name), data);
    writeFileSync(
      join(root, 'model', 'model.sig'),
      makeBundle({ statement: statementFor(files), key: modelKey.privateKey })
        .json,
    );
    const catalogFile = join(root, 'catalog-info.yaml');
    const service: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'fraud-serving',
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${catalogFile}`,
          'ml-governance.io/artifacts': 'file:./model',
          'ml-governance.io/image': [
            `${registry.host}/ml/serving:1.0`,
            'registry.invalid/ml/elsewhere:2.0',
          ].join(', '),
          'ml-governance.io/sha256': `config.json=${require('node:crypto')
            .createHash('sha256')
            .update(files['config.json'])
            .digest('hex')}`,
        },
      },
      spec: {
        type: 'model-server',
        owner: 'group:default/fraud',
        lifecycle: 'production',
      },
    };
    const harness = await startMlGovernanceBackend({
      entities: [service],
      allowedFileRoots: [root],
      rootConfig: {
        mlGovernance: {
          schedule: FAR,
          reports: { schedule: FAR },
          scanning: { allowedFileRoots: [root] },
          policies: {
            default: {
              signatures: { signers: [{ public_key: modelKey.publicPem }] },
            },
          },
          sources: {
            registries: [
              {
                host: registry.host,
                signatures: {
                  required: true,
                  publicKeys: [producer.publicKeyPem],
                },
              },
            ],
          },
        },
      },
    });
    const get = (path: string) =>
      request(harness.server)
        .get(
          `/api/ml-governance/entities/component/default/fraud-serving/${path}`,
        )
        .set('Authorization', mockCredentials.user.header(ALICE));
    try {
      await harness.runTask('ml-governance-scan-round');
      let provenance = (await get('provenance')).body;
      const serving = `oci://${registry.host}/ml/serving:1.0`;
      expect(provenance.images).toEqual([
        expect.objectContaining({
          reference: serving,
          digest: first,
          status: 'scanned',
          signature: expect.objectContaining({
            status: 'verified',
            signer: {
              keyFingerprint: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
            },
          }),
          problems: [],
        }),
        expect.objectContaining({
          reference: 'oci://registry.invalid/ml/elsewhere:2.0',
          status: 'failed',
          error: expect.stringContaining('not a configured registry'),
        }),
      ]);
      expect(provenance.images[1].digest).toBeUndefined();
      expect(provenance.modelSignatures).toEqual([
        expect.objectContaining({
          path: 'model.sig',
          status: 'verified',
          signedFiles: 2,
          files: ['config.json', 'model.safetensors'],
          signer: expect.objectContaining({
            keyFingerprint: expect.stringMatching(/^sha256:/),
          }),
          problems: [],
        }),
      ]);
      expect(provenance.pins).toEqual([
        expect.objectContaining({ path: 'config.json', status: 'matched' }),
      ]);

      // The tag moves to an unsigned image and the model file is tampered with.
      const second = await registry.pushImage('ml/serving', '1.0', image('v2'));
      expect(second).not.toBe(first);
      writeFileSync(
        join(root, 'model', 'model.safetensors'),
        'weights-tampered',
      );
      harness.clock.now = new Date(harness.clock.now.getTime() + 30 * 60_000);
      await harness.runTask('ml-governance-scan-round');
      provenance = (await get('provenance')).body;
      expect(provenance.images[0]).toMatchObject({
        digest: second,
        status: 'scanned',
        signature: { status: 'missing' },
      });
      expect(
        provenance.images[0].problems.map((p: { ruleId: string }) => p.ruleId),
      ).toEqual(['IMAGE-SIGNATURE-MISSING']);
      expect(provenance.modelSignatures[0]).toMatchObject({
        status: 'mismatch',
        problems: [
          expect.objectContaining({
            ruleId: 'MODEL-SIGNATURE-MISMATCH',
            path: 'model.safetensors',
          }),
        ],
      });
      const scans = (await get('scans')).body as {
        targets: { target: string; version?: string }[];
      }[];
      expect(
        scans
          .map(run => run.targets.find(t => t.target === serving)?.version)
          .sort(),
      ).toEqual([first, second].sort());
      const gate = await request(harness.server)
        .get('/api/ml-governance/gate/component/default/fraud-serving')
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(gate.body.decision).toBe('BLOCK');
    } finally {
      await harness.stop();
    }
  });
});
