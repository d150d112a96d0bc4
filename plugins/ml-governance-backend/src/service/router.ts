import type {
  AuditorService,
  AuthService,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import { NEXT_CURSOR_HEADER } from '@ml-governance/plugin-ml-governance-common';
import express, { type Request, type Response } from 'express';
import type {
  EntityState,
  MlGovernanceStore,
} from '../database/MlGovernanceStore';
import { EntityAccess } from '../permissions/EntityAccess';
import type { StaleImportReportService } from '../reports/StaleImportReportService';
import { createOpenApiRouter } from '../schema/openapi';
import type { AcceptanceService } from './AcceptanceService';
import {
  registerModelApiRoutes,
  type ModelApiRouteContext,
} from '../modelApis/modelApiRouter';
import { registerPromotionRoutes } from './promotionRouter';
import type { PromotionService } from './PromotionService';
import { publicJson } from './publicView';
import { entityRefFromParams, rejectHostileInput } from './requestGuards';
import { noQuery, parseInput } from './requestSchemas';
import { ProvenanceService } from './ProvenanceService';
import { registerAcceptanceRoutes } from './routes/acceptanceRoutes';
import { registerEntityRoutes } from './routes/entityRoutes';
import { registerGateRoutes } from './routes/gateRoutes';
import type { AnyRequest, RouteContext } from './routes/routeContext';
import { registerScanRoutes } from './routes/scanRoutes';
import { registerStaleImportReportRoutes } from './routes/staleImportReportRoutes';
import { registerTeamRoutes } from './routes/teamRoutes';
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

  const context: RouteContext = {
    auth: options.auth,
    httpAuth,
    access,
    store,
    summaries,
    scans,
    acceptances,
    reports,
    provenance,
    promotions: options.promotions,
    requireOnEntity,
    requireBasic,
    currentUser,
    audited,
    entityWith,
    send,
    setNextCursor,
  };
  // Registered in this order on purpose: Express matches routes in the order they were added.
  registerEntityRoutes(router, context);
  registerScanRoutes(router, context);
  registerAcceptanceRoutes(router, context);
  registerTeamRoutes(router, context);
  registerStaleImportReportRoutes(router, context);
  registerGateRoutes(router, context);

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
