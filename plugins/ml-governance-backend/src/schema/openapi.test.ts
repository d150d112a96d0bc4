import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  MlGovernanceClient,
  type MlGovernanceApi,
} from '@ml-governance/plugin-ml-governance-common';
import express from 'express';
import { parse } from 'yaml';
import { API_ROUTES } from '../__testUtils__/apiRoutes';
import { createOpenApiRouter, spec, type EndpointMap } from './openapi';

const yamlSpec = parse(readFileSync(join(__dirname, 'openapi.yaml'), 'utf8'));
const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

/** `METHOD /path/{param}` for every operation the spec declares. */
const specOperations = Object.entries(
  yamlSpec.paths as Record<string, Record<string, unknown>>,
)
  .flatMap(([path, item]) =>
    METHODS.filter(m => m in item).map(m => `${m} ${path}`),
  )
  .sort();

/**
 * The keys of the EndpointMap the typed router is built on. `Record<keyof EndpointMap, true>` makes
 * the compiler refuse a missing or extra key; the test then compares them with the spec.
 */
const ENDPOINT_KEYS: Record<keyof EndpointMap, true> = {
  '#get|/health': true,
  '#get|/entities/{kind}/{namespace}/{name}/summary': true,
  '#get|/entities/{kind}/{namespace}/{name}/findings': true,
  '#get|/entities/{kind}/{namespace}/{name}/scans': true,
  '#post|/entities/{kind}/{namespace}/{name}/scans': true,
  '#post|/entities/{kind}/{namespace}/{name}/ci-scans': true,
  '#get|/entities/{kind}/{namespace}/{name}/acceptances': true,
  '#get|/acceptances': true,
  '#post|/acceptances': true,
  '#get|/acceptances/{id}': true,
  '#post|/acceptances/{id}/decision': true,
  '#post|/acceptances/{id}/revoke': true,
  '#get|/teams': true,
  '#get|/teams/{namespace}/{name}': true,
  '#get|/reports/stale-imports': true,
  '#post|/reports/stale-imports': true,
  '#get|/reports/stale-imports/{id}': true,
  '#get|/reports/stale-imports/{id}/export': true,
  '#get|/gate/{kind}/{namespace}/{name}': true,
  '#get|/entities/{kind}/{namespace}/{name}/provenance': true,
  '#get|/entities/{kind}/{namespace}/{name}/versions': true,
  '#post|/versions/{id}/promotion-request': true,
  '#post|/versions/{id}/sign-offs': true,
  '#post|/versions/{id}/reject': true,
  '#get|/rejected-artifacts': true,
  '#get|/rejected-artifacts/export': true,
  '#get|/approvals/inbox': true,
};

describe('the OpenAPI contract (src/schema/openapi.yaml)', () => {
  it('is what the generated router embeds (regenerate with node scripts/generate-openapi-router.js)', () => {
    expect(JSON.parse(JSON.stringify(spec))).toEqual(yamlSpec);
  });

  it('declares exactly the endpoints of the typed router, and the bad-input table covers each', () => {
    const endpointKeys = Object.keys(ENDPOINT_KEYS)
      .map(key => key.replace(/^#(\w+)\|/, '$1 '))
      .sort();
    expect(endpointKeys).toEqual(specOperations);
    expect(
      API_ROUTES.map(
        r =>
          `${r.method} ${r.path
            .replace('{entity}', '{kind}/{namespace}/{name}')
            .replace('{group}', '{namespace}/{name}')}`,
      ).sort(),
    ).toEqual(specOperations);
  });

  describe('the common client', () => {
    let server: ReturnType<express.Express['listen']>;
    let client: MlGovernanceClient;
    const hits: string[] = [];

    beforeAll(async () => {
      // A server that knows only the spec: the real validator (unknown paths, undeclared query
      // parameters, wrong types and invalid bodies fail) and one stub handler per operation.
      const router = await createOpenApiRouter();
      const r = router as unknown as express.Router;
      for (const operation of specOperations) {
        const [method, path] = operation.split(' ');
        (r as any)[method](
          path.replace(/\{(\w+)\}/g, ':$1'),
          (_req: express.Request, res: express.Response) => {
            hits.push(operation);
            const schema =
              yamlSpec.paths[path][method].responses?.['200']?.content?.[
                'application/json'
              ]?.schema;
            res.json(schema?.type === 'array' ? [] : {});
          },
        );
      }
      const app = express();
      app.use(router);
      app.use((_req: express.Request, res: express.Response) =>
        res.status(404).json({
          error: { name: 'NotFoundError', message: 'not in the spec' },
        }),
      );
      app.use(
        (
          error: Error,
          _req: express.Request,
          res: express.Response,
          _next: express.NextFunction,
        ) => {
          res
            .status(400)
            .json({ error: { name: error.name, message: error.message } });
        },
      );
      server = app.listen(0, '127.0.0.1');
      await new Promise(resolve => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      client = new MlGovernanceClient({
        discoveryApi: { getBaseUrl: async () => `http://127.0.0.1:${port}` },
      });
    });

    afterAll(() => new Promise(resolve => server.close(resolve)));

    const ID = '3f2c1e9a-5b7d-4c1e-9f0a-1b2c3d4e5f60';
    const REF = 'resource:default/fraud-model';
    /** One call per client method (the Record type makes the compiler list every one). */
    const calls: Record<
      keyof MlGovernanceApi | 'getFindingsByCursor',
      (c: MlGovernanceClient) => Promise<unknown>
    > = {
      getEntitySummary: c => c.getEntitySummary(REF),
      getFindings: c =>
        c.getFindings(REF, {
          status: ['open', 'accepted'],
          severity: ['critical', 'high'],
          ruleId: 'PICKLE-DANGEROUS-CALL',
          q: 'os.system',
          offset: 10,
          limit: 25,
          orderBy: 'severity',
          order: 'desc',
        }),
      // The keyset form of the same call.
      getFindingsByCursor: c =>
        c.getFindings(REF, { limit: 25, cursor: 'abc' }),
      getScans: c => c.getScans(REF, { limit: 5 }),
      getScansPage: c => c.getScansPage(REF, { limit: 5, cursor: 'abc' }),
      reportCiScan: c =>
        c.reportCiScan(REF, { findings: [], commitSha: 'abcdef0' }),
      triggerScan: c => c.triggerScan(REF),
      getEntityAcceptances: c => c.getEntityAcceptances(REF),
      listAcceptances: c =>
        c.listAcceptances({
          view: 'to-decide',
          status: ['requested', 'active'],
        }),
      getAcceptance: c => c.getAcceptance(ID),
      requestAcceptance: c =>
        c.requestAcceptance({
          entityRef: REF,
          fingerprint: 'a'.repeat(32),
          justification: 'Legacy scorer until the export ships',
          checklist: {
            inActiveUse: true,
            saferAlternativeAvailable: true,
            saferAlternativePlan: 'Q3',
            sourceTrustedAndHashPinned: true,
          },
          expiresAt: '2026-06-01T00:00:00.000Z',
        }),
      decideAcceptance: c =>
        c.decideAcceptance(ID, {
          decision: 'approve',
          comment: 'ok',
          revision: 1,
        }),
      revokeAcceptance: c =>
        c.revokeAcceptance(ID, { comment: 'superseded', revision: 2 }),
      listTeams: c => c.listTeams(),
      getTeamSummary: c =>
        c.getTeamSummary('group:default/fraud', {
          trendDays: 30,
          entityLimit: 50,
          entityCursor: 'abc',
        }),
      listStaleImportReports: c => c.listStaleImportReports(),
      getStaleImportReport: c =>
        c.getStaleImportReport('latest', { owner: 'group:default/fraud' }),
      getStaleImportReportDownloadUrl: async c => {
        const url = await c.getStaleImportReportDownloadUrl(ID, 'csv');
        const res = await fetch(url);
        if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
      },
      generateStaleImportReport: c => c.generateStaleImportReport(),
      getProvenance: c => c.getProvenance(REF),
      getGate: c => c.getGate(REF, { digest: 'sha256:abc' }),
      getEntityVersions: c => c.getEntityVersions(REF),
      requestPromotion: c =>
        c.requestPromotion(ID, { revision: 2, comment: 'ready' }),
      signOffVersion: c =>
        c.signOffVersion(ID, { kind: 'security', revision: 3, comment: 'ok' }),
      rejectVersion: c =>
        c.rejectVersion(ID, { reason: 'backdoored weights', revision: 3 }),
      listRejectedArtifacts: c =>
        c.listRejectedArtifacts({
          q: 'hf:',
          entityRef: REF,
          offset: 0,
          limit: 10,
        }),
      getRejectedArtifactsDownloadUrl: async c => {
        const url = await c.getRejectedArtifactsDownloadUrl('csv', { q: 'x' });
        const res = await fetch(url);
        if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
      },
      getApprovalsInbox: c => c.getApprovalsInbox(),
      getModelApiProbes: c => c.getModelApiProbes(REF, { limit: 10 }),
    };

    it.each(Object.keys(calls))(
      '%s hits an operation the spec declares, with declared parameters',
      async name => {
        const before = hits.length;
        await calls[name as keyof typeof calls](client);
        expect(hits.slice(before)).toHaveLength(1);
      },
    );

    it('covers every operation of the spec but /health', () => {
      expect([...new Set(hits)].sort()).toEqual(
        specOperations.filter(op => op !== 'get /health'),
      );
    });

    it('would notice a client that drifted (an undeclared parameter is refused)', async () => {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(
        `http://127.0.0.1:${port}/entities/resource/default/x/findings?sort=severity`,
      );
      expect(res.status).toBe(400);
    });
  });
});
