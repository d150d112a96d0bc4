// Scans of an entity: on-demand scan requests and CI scan uploads.
import {
  mlGovernanceScanCreatePermission,
  mlGovernanceScanReportPermission,
} from '@ml-governance/plugin-ml-governance-common';
import { entityRefFromParams } from '../requestGuards';
import { ciScanBody, emptyBody, noQuery, parseInput } from '../requestSchemas';
import type { MlGovernanceRouter, RouteContext } from './routeContext';

export function registerScanRoutes(
  router: MlGovernanceRouter,
  context: RouteContext,
): void {
  const { auth, summaries, scans, requireOnEntity, audited, send } = context;

  router.post('/entities/:kind/:namespace/:name/scans', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    parseInput(emptyBody, req.body, 'body');
    const entityRef = entityRefFromParams(req.params);
    const run = await audited(req, 'scan-request', { entityRef }, async () => {
      const entity = await summaries.requireEntity(entityRef);
      const credentials = await requireOnEntity(
        req,
        mlGovernanceScanCreatePermission,
        entity,
      );
      const requestedBy = auth.isPrincipal(credentials, 'user')
        ? credentials.principal.userEntityRef
        : 'service';
      return scans.requestScan(entityRef, requestedBy);
    });
    send(res, run, 202);
  });

  // CI uploads (`mlgov scan --report-to`), typically with a token confined to ml-governance.scan.report.
  // The uploaded decision is never trusted: the store recomputes it from the findings.
  router.post('/entities/:kind/:namespace/:name/ci-scans', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const entityRef = entityRefFromParams(req.params);
    const entity = await summaries.requireEntity(entityRef);
    const credentials = await requireOnEntity(
      req,
      mlGovernanceScanReportPermission,
      entity,
    );
    const body = parseInput(ciScanBody, req.body, 'body');
    let uploadedBy = 'unknown';
    if (auth.isPrincipal(credentials, 'user'))
      uploadedBy = credentials.principal.userEntityRef;
    else if (auth.isPrincipal(credentials, 'service'))
      uploadedBy = credentials.principal.subject;
    const meta = {
      entityRef,
      findings: body.findings.length,
      commitSha: body.commitSha ?? null,
      uploadedBy,
    };
    const run = await audited(req, 'ci-scan-report', meta, () =>
      scans.recordCiScan(entity, body.findings, {
        commitSha: body.commitSha,
        runUrl: body.runUrl,
        uploadedBy,
      }),
    );
    send(res, run, 201);
  });
}
