import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { ProjectAnalyzer } from '@ml-governance/scanner';
import {
  mlGovernanceScannerExtensionPoint,
  mlGovernanceTargetResolverExtensionPoint,
  type TargetResolver,
} from '@ml-governance/plugin-ml-governance-node';
import request from 'supertest';
import { ALICE, startMlGovernanceBackend } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

/** A registry scheme the plugin does not know: `registry:<name>` is fetched into a temp dir. */
const registryResolver: TargetResolver = {
  id: 'model-registry',
  supports: target => target.startsWith('registry:'),
  resolve: async target => {
    const dir = mkdtempSync(join(tmpdir(), 'mlgov-registry-'));
    writeFileSync(
      join(dir, 'weights.bin'),
      'not a model format any reader knows',
    );
    return {
      unchanged: false,
      digest: `registry:${target}`,
      path: dir,
      cleanup: async () => {},
    };
  },
};

/** An organisation-specific rule: every project must carry a MODEL_CARD.md. */
const modelCardAnalyzer: ProjectAnalyzer = {
  id: 'acme-model-card',
  analyze: async ctx => {
    if (!ctx.files.some(file => file.endsWith('MODEL_CARD.md'))) {
      ctx.emit({
        ruleId: 'SCAN-UNSUPPORTED',
        message: 'No MODEL_CARD.md next to the weights',
        location: { path: '.' },
        evidence: { analyzer: 'acme-model-card' },
        key: 'acme-model-card',
      });
    }
  },
};

const acmeModule = createBackendModule({
  pluginId: 'ml-governance',
  moduleId: 'acme-extensions',
  register(reg) {
    reg.registerInit({
      deps: {
        scanner: mlGovernanceScannerExtensionPoint,
        targets: mlGovernanceTargetResolverExtensionPoint,
      },
      async init({ scanner, targets }) {
        scanner.addAnalyzer(modelCardAnalyzer);
        targets.addTargetResolver(registryResolver);
      },
    });
  },
});

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'registry-model',
    namespace: 'default',
    annotations: { 'ml-governance.io/artifacts': 'registry:fraud/v3' },
  },
  spec: { type: 'ai-model', owner: 'group:default/fraud' },
};

describe('ml-governance-node extension points', () => {
  it('scans targets from an added resolver with an added analyzer', async () => {
    const harness = await startMlGovernanceBackend({
      entities: [entity],
      allowedFileRoots: [],
      extraFeatures: [acmeModule],
    });
    try {
      await harness.runTask('ml-governance-scan-round');
      const res = await request(harness.server)
        .get(
          '/api/ml-governance/entities/resource/default/registry-model/findings',
        )
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(res.status).toBe(200);
      const messages = res.body.items.map(
        (f: any) => `${f.target} ${f.ruleId} ${f.message}`,
      );
      expect(messages).toContainEqual(
        expect.stringMatching(
          /^registry:fraud\/v3 SCAN-UNSUPPORTED No MODEL_CARD\.md/,
        ),
      );
    } finally {
      await harness.stop();
    }
  });
});
