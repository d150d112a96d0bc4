export type Method = 'get' | 'post';
export interface ApiRoute {
  method: Method;
  /** Path with `{entity}` (kind/namespace/name), `{group}` (namespace/name) or `{id}` placeholders. */
  path: string;
  /** A query parameter the route declares (so a NUL in it is not just refused as unknown). */
  queryParam?: string;
  /** A valid body for POSTs (the bad-input table mutates it field by field). */
  body?: Record<string, unknown>;
}

/** Every route of the API, with a valid body for POSTs (src/schema/openapi.test.ts checks it against the spec). */
export const API_ROUTES: ApiRoute[] = [
  { method: 'get', path: '/health' },
  { method: 'get', path: '/entities/{entity}/summary' },
  { method: 'get', path: '/entities/{entity}/findings', queryParam: 'q' },
  { method: 'get', path: '/entities/{entity}/scans', queryParam: 'limit' },
  { method: 'post', path: '/entities/{entity}/scans', body: {} },
  {
    method: 'post',
    path: '/entities/{entity}/ci-scans',
    body: {
      findings: [],
      decision: 'PASS',
      commitSha: '0123456789abcdef0123456789abcdef01234567',
      runUrl: 'https://ci.example.com/runs/1',
    },
  },
  { method: 'get', path: '/entities/{entity}/acceptances' },
  { method: 'get', path: '/acceptances', queryParam: 'view' },
  { method: 'get', path: '/acceptances/{id}' },
  {
    method: 'post',
    path: '/acceptances',
    body: {
      entityRef: 'resource:default/fraud-model',
      ruleId: 'PICKLE-DANGEROUS-CALL',
      justification: 'A justification long enough to pass',
      checklist: {
        inActiveUse: true,
        saferAlternativeAvailable: false,
        sourceTrustedAndHashPinned: true,
      },
      expiresAt: '2026-03-20T00:00:00.000Z',
    },
  },
  {
    method: 'post',
    path: '/acceptances/{id}/decision',
    body: { decision: 'approve', comment: 'fine', revision: 1 },
  },
  {
    method: 'post',
    path: '/acceptances/{id}/revoke',
    body: { comment: 'no longer', revision: 2 },
  },
  { method: 'get', path: '/teams' },
  { method: 'get', path: '/teams/{group}', queryParam: 'trendDays' },
  { method: 'get', path: '/reports/stale-imports' },
  { method: 'post', path: '/reports/stale-imports', body: {} },
  { method: 'get', path: '/reports/stale-imports/{id}', queryParam: 'owner' },
  {
    method: 'get',
    path: '/reports/stale-imports/{id}/export',
    queryParam: 'format',
  },
  { method: 'get', path: '/entities/{entity}/provenance' },
  { method: 'get', path: '/gate/{entity}', queryParam: 'digest' },
  { method: 'get', path: '/entities/{entity}/versions' },
  {
    method: 'post',
    path: '/versions/{id}/promotion-request',
    body: { revision: 2, comment: 'ready' },
  },
  {
    method: 'post',
    path: '/versions/{id}/sign-offs',
    body: { kind: 'security', revision: 3, comment: 'scan results fine' },
  },
  {
    method: 'post',
    path: '/versions/{id}/reject',
    body: { reason: 'backdoored weights', revision: 3 },
  },
  { method: 'get', path: '/rejected-artifacts', queryParam: 'q' },
  { method: 'get', path: '/rejected-artifacts/export', queryParam: 'format' },
  { method: 'get', path: '/approvals/inbox' },
  { method: 'get', path: '/model-apis/probes', queryParam: 'entityRef' },
];
