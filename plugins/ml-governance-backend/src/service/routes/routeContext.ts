// What every per-area route module receives from createRouter: the typed router, services and shared helpers.
import type {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type {
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import type { Request, Response } from 'express';
import type {
  EntityState,
  MlGovernanceStore,
} from '../../database/MlGovernanceStore';
import type { EntityAccess } from '../../permissions/EntityAccess';
import type { StaleImportReportService } from '../../reports/StaleImportReportService';
import type { createOpenApiRouter } from '../../schema/openapi';
import type { AcceptanceService } from '../AcceptanceService';
import type { PromotionService } from '../PromotionService';
import type { ProvenanceService } from '../ProvenanceService';
import type { ScanService } from '../ScanService';
import type { SummaryService } from '../SummaryService';

/** The typed OpenAPI router (src/schema/openapi/generated/router.ts) the routes are registered on. */
export type MlGovernanceRouter = Awaited<
  ReturnType<typeof createOpenApiRouter>
>;

/** The typed router's requests differ per route in params/query types; helpers take any of them. */
export type AnyRequest = Request<any, any, any, any>;

/** The services and the router's own helpers, shared so every area checks, audits and responds alike. */
export interface RouteContext {
  auth: AuthService;
  httpAuth: HttpAuthService;
  access: EntityAccess;
  store: MlGovernanceStore;
  summaries: SummaryService;
  scans: ScanService;
  acceptances: AcceptanceService;
  reports: StaleImportReportService;
  provenance: ProvenanceService;
  promotions?: PromotionService;
  requireOnEntity(
    req: AnyRequest,
    permission: ResourcePermission,
    entity: EntityState,
  ): Promise<BackstageCredentials>;
  requireBasic(
    req: AnyRequest,
    permission: BasicPermission,
  ): Promise<BackstageCredentials>;
  currentUser(req: AnyRequest): Promise<string>;
  /** Runs a mutation as one audit event: success with its outcome, or failure with the error. */
  audited<T>(
    req: AnyRequest,
    eventId: string,
    meta: JsonObject,
    action: () => Promise<T>,
  ): Promise<T>;
  /** The entity named by the path, after checking the caller holds the permission on it. */
  entityWith(
    req: AnyRequest,
    permission: ResourcePermission,
  ): Promise<EntityState>;
  /** Sends a body as readers may see it (no denormalised owner, no server paths in messages). */
  send(res: Response<any>, body: unknown, status?: number): void;
  /** Sets the next-cursor header, readable by a browser app on another origin too. */
  setNextCursor(res: Response<any>, cursor: string | undefined): void;
}
