import type {
  AcceptanceWithHistory,
  EntitySummary,
  Finding,
  Page,
  SeverityCounts,
} from '@ml-governance/plugin-ml-governance-common';
import type { Entity } from '@backstage/catalog-model';

export const MODEL_REF = 'resource:default/fraud-model';

export const modelEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'fraud-model',
    namespace: 'default',
    annotations: { 'ml-governance.io/artifacts': 'file:./models/fraud.pt' },
  },
  spec: { type: 'ai-model', owner: 'group:default/ml-platform' },
};

export function counts(partial: Partial<SeverityCounts> = {}): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0, ...partial };
}

export function summary(partial: Partial<EntitySummary> = {}): EntitySummary {
  return {
    entityRef: MODEL_REF,
    kind: 'Resource',
    owner: 'group:default/ml-platform',
    decision: 'BLOCK',
    counts: counts({ critical: 1, high: 2 }),
    acceptedCount: 0,
    pendingAcceptances: 1,
    lastScan: {
      id: 'scan-1',
      entityRef: MODEL_REF,
      trigger: 'schedule',
      status: 'succeeded',
      startedAt: '2026-11-20T10:00:00Z',
      finishedAt: '2026-11-20T10:02:00Z',
      decision: 'BLOCK',
      targets: [],
    },
    ...partial,
  };
}

export function finding(
  index: number,
  partial: Partial<Finding> = {},
): Finding {
  return {
    id: `f-${index}`,
    entityRef: MODEL_REF,
    fingerprint: `fp-${index}`,
    target: 'file:./models/fraud.pt',
    ruleId: 'PICKLE-GLOBAL',
    title: 'Pickle imports a dangerous callable',
    severity: 'critical',
    cwe: ['CWE-502'],
    owaspLlm: ['LLM03:2025'],
    message: `os.system is called when the file is loaded (${index})`,
    location: {
      path: 'models/fraud.pt',
      entry: ['archive/data.pkl'],
      offset: 100 + index,
    },
    evidence: { opcode: 'STACK_GLOBAL', symbol: 'os.system' },
    fix: 'Re-export the weights as safetensors.',
    retest: 'npx mlgov scan models/fraud.pt',
    docsUrl: 'https://example.test/docs/rules#pickle-global',
    status: 'open',
    firstSeenAt: '2026-10-01T00:00:00Z',
    lastSeenAt: '2026-11-20T10:02:00Z',
    ...partial,
  };
}

export function findingsPage(
  items: Finding[],
  totalCount = items.length,
  offset = 0,
  limit = 25,
): Page<Finding> {
  return { items, totalCount, offset, limit };
}

export function acceptance(
  partial: Partial<AcceptanceWithHistory> = {},
): AcceptanceWithHistory {
  return {
    id: 'acc-1',
    entityRef: MODEL_REF,
    fingerprint: 'fp-1',
    status: 'requested',
    justification:
      'Legacy scorer still loads this pickle until the Q1 retrain lands.',
    checklist: {
      inActiveUse: true,
      saferAlternativeAvailable: true,
      saferAlternativePlan: 'Move to safetensors with the Q1 retrain.',
      sourceTrustedAndHashPinned: true,
    },
    expiresAt: '2027-02-01T00:00:00.000Z',
    requestedBy: 'user:default/owner',
    requestedAt: '2026-11-21T09:00:00Z',
    revision: 1,
    history: [
      {
        id: 'e1',
        acceptanceId: 'acc-1',
        action: 'requested',
        actor: 'user:default/owner',
        at: '2026-11-21T09:00:00Z',
      },
    ],
    ...partial,
  };
}
