import type {
  AuditorService,
  AuthService,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type {
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import {
  mlGovernanceAcceptanceDecidePermission,
  mlGovernanceAcceptanceRequestPermission,
  mlGovernanceFindingReadPermission,
  mlGovernanceGateReadPermission,
  mlGovernanceReportCreatePermission,
  mlGovernanceReportReadPermission,
  mlGovernanceScanCreatePermission,
  mlGovernanceScanReportPermission,
  NEXT_CURSOR_HEADER,
} from '@ml-governance/plugin-ml-governance-common';
import express, { type Request, type Response } from 'express';
import type {
  AcceptanceFilter,
  EntityState,
  MlGovernanceStore,
} from '../database/MlGovernanceStore';
import { EntityAccess } from '../permissions/EntityAccess';
import { StaleImportReportService } from '../reports/StaleImportReportService';
import { createOpenApiRouter } from '../schema/openapi';
import type { AcceptanceService } from './AcceptanceService';
import {
  registerModelApiRoutes,
  type ModelApiRouteContext,
} from '../modelApis/modelApiRouter';
import { gateQuery, registerPromotionRoutes } from './promotionRouter';
import type { PromotionService } from './PromotionService';
import { publicJson, publicView } from './publicView';
import {
  entityRefFromParams,
  groupRefFromParams,
  idFromParams,
  parseEntityRefInput,
  rejectHostileInput,
} from './requestGuards';
import {
  acceptanceRequestBody,
  acceptancesQuery,
  ciScanBody,
  decisionBody,
  emptyBody,
  findingsQuery,
  noQuery,
  parseInput,
  reportExportQuery,
  reportQuery,
  revokeBody,
  scansQuery,
  teamQuery,
} from './requestSchemas';
import { ProvenanceService } from './ProvenanceService';
import type { ScanService } from './ScanService';
import type { SummaryService } from './SummaryService';

export interface RouterOptions {
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  store: MlGovernanceStore;
  summaries: SummaryService;
  scans: ScanService;
  acceptances: AcceptanceService;
  reports: StaleImportReportService;
  /** Artifact promotion (docs/promotion.md); its routes and the gate's `?digest=`. */
  promotions?: PromotionService;
  /** Model API probe series (docs/model-apis.md). */
  modelApis?: Pick<ModelApiRouteContext, 'catalog' | 'series'>;
}

/** The typed router's requests differ per route in params/query types; helpers take any of them. */
type AnyRequest = Request<any, any, any, any>;

const parseJson = express.json({ limit: '100kb' });
/** CI scan uploads carry up to 25,000 findings (CI_SCAN_LIMITS); only that route gets the larger limit. */
const parseCiScanJson = express.json({ limit: '20mb' });
const CI_SCAN_PATH = /^\/entities\/[^/]+\/[^/]+\/[^/]+\/ci-scans\/?$/;

/** The JSON body parser, its refusals (not JSON, not an object, too large) as InputErrors like every other 400. */
function jsonBody(
  req: Request,
  res: Response,
  next: (error?: unknown) => void,
): void {
  const parser =
    req.method === 'POST' && CI_SCAN_PATH.test(req.path)
      ? parseCiScanJson
      : parseJson;
  parser(req, res, error => {
    if (!error) return next();
    const status = (error as { status?: number }).status;
    return next(
      status === 413
        ? error
        : new InputError(`body: ${(error as Error).message}`),
    );
  });
}

/** Sets the next-cursor header, readable by a browser app on another origin too. */
function setNextCursor(res: Response<any>, cursor: string | undefined): void {
  if (!cursor) return;
  res.setHeader(NEXT_CURSOR_HEADER, cursor);
  const exposed = res.getHeader('Access-Control-Expose-Headers');
  res.setHeader(
    'Access-Control-Expose-Headers',
    exposed ? `${exposed}, ${NEXT_CURSOR_HEADER}` : NEXT_CURSOR_HEADER,
  );
}

/** Sends a body as readers may see it (no denormalised owner, no server paths in messages). */
function send(res: Response<any>, body: unknown, status = 200): void {
  res.status(status).type('json').send(publicJson(body));
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    userInfo,
    auditor,
    store,
    summaries,
    scans,
    acceptances,
    reports,
  } = options;
  const access = new EntityAccess(
    options.permissions,
    options.permissionsRegistry,
  );
  const provenance = new ProvenanceService(store);

  async function requireOnEntity(
    req: AnyRequest,
    permission: ResourcePermission,
    entity: EntityState,
  ) {
    const credentials = await httpAuth.credentials(req);
    await access.require(credentials, permission, entity);
    return credentials;
  }

  async function requireBasic(req: AnyRequest, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req);
    await access.requireBasic(credentials, permission);
    return credentials;
  }

  async function currentUser(req: AnyRequest): Promise<string> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return (await userInfo.getUserInfo(credentials)).userEntityRef;
  }

  /** Runs a mutation as one audit event: success with its outcome, or failure with the error. */
  async function audited<T>(
    req: AnyRequest,
    eventId: string,
    meta: JsonObject,
    action: () => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      request: req,
      meta,
      severityLevel: 'medium',
    });
    try {
      const result = await action();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  async function entityWith(
    req: AnyRequest,
    permission: ResourcePermission,
  ): Promise<EntityState> {
    const entity = await summaries.requireEntity(
      entityRefFromParams(req.params),
    );
    await requireOnEntity(req, permission, entity);
    return entity;
  }

  // The typed router validates against src/schema/openapi.yaml (400 InputError on a mismatch) after
  // our own guards, which run first so NUL bytes and overlong strings never reach anything else.
  const router = await createOpenApiRouter({
    middleware: [jsonBody, rejectHostileInput],
  });

  router.get('/health', (req, res) => {
    parseInput(noQuery, req.query, 'query');
    res.json({ status: 'ok' });
  });

  // Entity views

  router.get('/entities/:kind/:namespace/:name/summary', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    send(
      res,
      await summaries.entitySummary(
        await entityWith(req, mlGovernanceFindingReadPermission),
      ),
    );
  });

  router.get('/entities/:kind/:namespace/:name/findings', async (req, res) => {
    const query = parseInput(findingsQuery, req.query, 'query');
    const entity = await entityWith(req, mlGovernanceFindingReadPermission);
    send(res, await store.listFindings(entity.entityRef, query));
  });

  router.get('/entities/:kind/:namespace/:name/scans', async (req, res) => {
    const { limit, cursor } = parseInput(scansQuery, req.query, 'query');
    const entity = await entityWith(req, mlGovernanceFindingReadPermission);
    const page = await store.listScanRuns(entity.entityRef, { limit, cursor });
    setNextCursor(res, page.nextCursor);
    send(res, page.items);
  });

  router.get(
    '/entities/:kind/:namespace/:name/provenance',
    async (req, res) => {
      parseInput(noQuery, req.query, 'query');
      const entity = await entityWith(req, mlGovernanceFindingReadPermission);
      send(res, await provenance.entityProvenance(entity));
    },
  );

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
      const requestedBy = options.auth.isPrincipal(credentials, 'user')
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
    if (options.auth.isPrincipal(credentials, 'user'))
      uploadedBy = credentials.principal.userEntityRef;
    else if (options.auth.isPrincipal(credentials, 'service'))
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

  router.get(
    '/entities/:kind/:namespace/:name/acceptances',
    async (req, res) => {
      parseInput(noQuery, req.query, 'query');
      const entity = await entityWith(req, mlGovernanceFindingReadPermission);
      send(res, await store.listAcceptances({ entityRef: entity.entityRef }));
    },
  );

  // Risk acceptances

  router.get('/acceptances', async (req, res) => {
    const query = parseInput(acceptancesQuery, req.query, 'query');
    const credentials = await httpAuth.credentials(req);
    const readable = await access.filter(
      credentials,
      mlGovernanceFindingReadPermission,
    );
    const pageOf = async (filter: AcceptanceFilter) => {
      const page = await store.listAcceptancesPage(filter, {
        limit: query.limit,
        cursor: query.cursor,
      });
      setNextCursor(res, page.nextCursor);
      return page.items;
    };
    if (query.view === 'mine') {
      const user = await currentUser(req);
      send(res, await pageOf({ requestedBy: user, status: query.status }));
      return;
    }
    if (query.view === 'to-decide') {
      if (
        !(await access.can(credentials, mlGovernanceAcceptanceDecidePermission))
      ) {
        send(res, []);
        return;
      }
      const user = await currentUser(req);
      const list = await pageOf({
        status: query.status ?? ['requested'],
        notRequestedBy: user,
      });
      send(res, list.filter(readable));
      return;
    }
    send(res, (await pageOf({ status: query.status })).filter(readable));
  });

  router.get('/acceptances/:id', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const id = idFromParams(req.params);
    const credentials = await httpAuth.credentials(req);
    const readable = await access.filter(
      credentials,
      mlGovernanceFindingReadPermission,
    );
    const acceptance = await acceptances.get(id);
    // Hidden and missing look the same, so the API does not reveal what exists.
    if (!readable(acceptance))
      throw new NotFoundError(`No risk acceptance ${id}`);
    send(res, acceptance);
  });

  router.post('/acceptances', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const body = parseInput(acceptanceRequestBody, req.body, 'body');
    const entityRef = parseEntityRefInput(body.entityRef, 'body.entityRef');
    const created = await audited(
      req,
      'acceptance-request',
      {
        entityRef,
        fingerprint: body.fingerprint ?? null,
        ruleId: body.ruleId ?? null,
      },
      async () => {
        const entity = await summaries.requireEntity(entityRef);
        await requireOnEntity(
          req,
          mlGovernanceAcceptanceRequestPermission,
          entity,
        );
        return acceptances.request(
          entity,
          { ...body, entityRef },
          await currentUser(req),
        );
      },
    );
    send(res, created, 201);
  });

  router.post('/acceptances/:id/decision', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const id = idFromParams(req.params);
    const body = parseInput(decisionBody, req.body, 'body');
    const decided = await audited(
      req,
      'acceptance-decision',
      { acceptanceId: id, decision: body.decision, revision: body.revision },
      async () => {
        await requireBasic(req, mlGovernanceAcceptanceDecidePermission);
        return acceptances.decide(id, body, await currentUser(req));
      },
    );
    send(res, decided);
  });

  router.post('/acceptances/:id/revoke', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const id = idFromParams(req.params);
    const body = parseInput(revokeBody, req.body, 'body');
    const revoked = await audited(
      req,
      'acceptance-revoke',
      { acceptanceId: id, revision: body.revision },
      async () => {
        await requireBasic(req, mlGovernanceAcceptanceDecidePermission);
        return acceptances.revoke(id, body, await currentUser(req));
      },
    );
    send(res, revoked);
  });

  // Teams

  router.get('/teams', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    await requireBasic(req, mlGovernanceReportReadPermission);
    send(res, await store.teamOverviews());
  });

  router.get('/teams/:namespace/:name', async (req, res) => {
    const { trendDays, entityLimit, entityCursor } = parseInput(
      teamQuery,
      req.query,
      'query',
    );
    const owner = groupRefFromParams(req.params);
    await requireBasic(req, mlGovernanceReportReadPermission);
    send(
      res,
      await summaries.teamSummary(owner, trendDays, {
        limit: entityLimit,
        cursor: entityCursor,
      }),
    );
  });

  // Stale-import reports

  router.get('/reports/stale-imports', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    await requireBasic(req, mlGovernanceReportReadPermission);
    send(res, await store.listReports());
  });

  router.post('/reports/stale-imports', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    parseInput(emptyBody, req.body, 'body');
    const meta = await audited(
      req,
      'stale-import-report-generate',
      {},
      async () => {
        await requireBasic(req, mlGovernanceReportCreatePermission);
        return reports.generate('manual');
      },
    );
    send(res, meta, 201);
  });

  async function readReport(req: AnyRequest) {
    const id = idFromParams(req.params, { allowLatest: true });
    await requireBasic(req, mlGovernanceReportReadPermission);
    const report = await store.getReport(id);
    if (!report) throw new NotFoundError(`No stale-import report ${id}`);
    return report;
  }

  const ownerFilter = (owner: string | undefined) =>
    owner === undefined ? undefined : parseEntityRefInput(owner, 'query.owner');

  router.get('/reports/stale-imports/:id', async (req, res) => {
    const { owner } = parseInput(reportQuery, req.query, 'query');
    send(
      res,
      StaleImportReportService.forOwner(
        await readReport(req),
        ownerFilter(owner),
      ),
    );
  });

  router.get('/reports/stale-imports/:id/export', async (req, res) => {
    const { format, owner } = parseInput(reportExportQuery, req.query, 'query');
    const report = publicView(
      StaleImportReportService.forOwner(
        await readReport(req),
        ownerFilter(owner),
      ),
    );
    const filename = `stale-imports-${report.period}-${report.id.slice(
      0,
      8,
    )}.${format}`;
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    if (format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .send(StaleImportReportService.toCsv(report));
    } else {
      res.type('application/json').send(JSON.stringify(report, null, 2));
    }
  });

  // CI gate: what `mlgov gate` calls, typically with an external-access token confined to
  // ml-governance.gate.read (docs/security.md). It needs no other permission.

  router.get('/gate/:kind/:namespace/:name', async (req, res) => {
    const { digest } = parseInput(gateQuery, req.query, 'query');
    const entity = await entityWith(req, mlGovernanceGateReadPermission);
    const answer = await summaries.gate(entity);
    // Promotion hook: with a digest, PASS only for a promoted version (docs/promotion.md).
    if (digest !== undefined && !options.promotions)
      throw new InputError('query.digest: promotion is not enabled');
    send(
      res,
      digest === undefined
        ? answer
        : await options.promotions!.gate(entity, digest, answer),
    );
  });

  if (options.promotions) {
    registerPromotionRoutes(router, {
      httpAuth,
      userInfo,
      access,
      store,
      summaries,
      promotions: options.promotions,
      audited,
      send,
    });
  }
  if (options.modelApis)
    registerModelApiRoutes(router, {
      httpAuth,
      access,
      summaries,
      send,
      ...options.modelApis,
    });

  return router;
}
