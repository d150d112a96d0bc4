import type {
  EntityRecord,
  ScannedFinding,
} from '../database/MlGovernanceStore';
import type { Entity } from '@backstage/catalog-model';
import type { Severity } from '@ml-governance/plugin-ml-governance-common';

/** Small builders shared by store, service and route tests. */
export function entityRecord(
  name: string,
  overrides: Partial<EntityRecord> = {},
): EntityRecord {
  return {
    entityRef: `resource:default/${name}`,
    kind: 'resource',
    owner: 'group:default/fraud',
    targets: ['file:/models'],
    pinnedHashes: {},
    ...overrides,
  };
}

export function scannedFinding(
  fingerprint: string,
  overrides: Partial<ScannedFinding> = {},
): ScannedFinding {
  const severity: Severity = overrides.severity ?? 'critical';
  return {
    fingerprint,
    target: 'file:/models',
    ruleId: 'PICKLE-EXEC',
    title: 'Pickle executes code on load',
    severity,
    cwe: ['CWE-502'],
    owaspLlm: ['LLM03:2025'],
    message: `REDUCE calls os.system (${fingerprint})`,
    location: { path: `${fingerprint}.pkl`, offset: 12 },
    evidence: { opcode: 'REDUCE', symbol: 'os.system' },
    fix: 'Use safetensors',
    retest: 'mlgov scan model.pkl',
    docsUrl: 'https://example.test/rules#pickle-exec',
    ...overrides,
  };
}

/** A model Resource whose artifacts live at `artifacts`, declared in the catalog file at `catalogFile`. */
export function modelEntity(options: {
  name: string;
  owner: string;
  catalogFile: string;
  artifacts: string;
  annotations?: Record<string, string>;
}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: options.name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${options.catalogFile}`,
        'ml-governance.io/artifacts': options.artifacts,
        ...options.annotations,
      },
    },
    spec: { type: 'ai-model', owner: options.owner },
  };
}

/** A protocol-2 pickle whose REDUCE calls `posix.system('id')`. */
export const MALICIOUS_PICKLE = Buffer.from(
  '\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.',
  'latin1',
);
