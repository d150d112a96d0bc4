import type {
  BackstageCredentials,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type {
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { InputError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import {
  mlGovernanceAcceptanceDecidePermission,
  mlGovernanceFindingReadPermission,
  mlGovernancePromotionApprovePermission,
  mlGovernancePromotionRequestPermission,
  mlGovernanceReportReadPermission,
  type ApprovalsInbox,
  type RejectedArtifact,
} from '@ml-governance/plugin-ml-governance-common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type {
  EntityState,
  MlGovernanceStore,
} from '../database/MlGovernanceStore';
import type { EntityAccess } from '../permissions/EntityAccess';
import { csvRow } from '../reports/csv';
import type { PromotionService, Signer } from './PromotionService';
import { entityRefFromParams, parseEntityRefInput } from './requestGuards';
import { noQuery, parseInput } from './requestSchemas';
import type { SummaryService } from './SummaryService';

type AnyRequest = Request<any, any, any, any>;

/** Most rows an export of the rejected-artifact log holds. */
const REJECTED_EXPORT_MAX = 10_000;

const revision = z.number().int().min(1).max(1_000_000);

const promotionRequestBody = z.strictObject({
  revision,
  comment: z.string().trim().max(4000).optional(),
});

const signOffBody = z.strictObject({
  kind: z.enum(['security', 'owner']),
  revision,
  comment: z.string().trim().min(1, 'A sign-off needs a comment').max(4000),
});

const rejectBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(10, 'Say why the version is rejected (at least 10 characters)')
    .max(4000),
  revision: revision.optional(),
});

const queryInt = (max: number, fallback: number) =>
  z
    .union([
      z
        .string()
        .regex(/^\d{1,9}$/)
        .transform(Number),
      z.number(),
    ])
    .pipe(z.number().int().min(0).max(max))
    .optional()
    .transform(value => value ?? fallback);

const rejectedQuery = z.strictObject({
  q: z.string().max(200).optional(),
  entityRef: z.string().max(255).optional(),
  offset: queryInt(1_000_000, 0),
  limit: queryInt(500, 50),
});

const rejectedExportQuery = z.strictObject({
  format: z.enum(['csv', 'json']).default('json'),
  q: z.string().max(200).optional(),
  entityRef: z.string().max(255).optional(),
});

export const gateQuery = z.strictObject({
  digest: z.string().min(1).max(1024).optional(),
});

const VERSION_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function versionIdFromParams(params: { id?: unknown }): string {
  const id = String(params.id ?? '');
  if (!VERSION_ID.test(id))
    throw new InputError('path.id: expected a version id (UUID)');
  return id;
}

/** The router's own helpers, shared so promotion routes check and audit exactly as the others. */
export interface PromotionRouteContext {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  access: EntityAccess;
  store: MlGovernanceStore;
  summaries: SummaryService;
  promotions: PromotionService;
  audited<T>(
    req: AnyRequest,
    eventId: string,
    meta: JsonObject,
    action: () => Promise<T>,
  ): Promise<T>;
  send(res: Response<any>, body: unknown, status?: number): void;
}

/** Who the (user) caller is and in which promotion roles: the approver permission, their ownership claims. */
export async function signerFromCredentials(
  credentials: BackstageCredentials,
  userInfo: UserInfoService,
  access: EntityAccess,
): Promise<Signer> {
  const info = await userInfo.getUserInfo(credentials);
  return {
    userRef: info.userEntityRef,
    ownershipRefs: info.ownershipEntityRefs,
    securityApprover: await access.can(
      credentials,
      mlGovernancePromotionApprovePermission as BasicPermission,
    ),
  };
}

/** The columns of the rejected-artifact log export. */
function rejectedToCsv(items: RejectedArtifact[]): string {
  const lines = [
    csvRow([
      'digest',
      'source',
      'entityRef',
      'target',
      'ruleIds',
      'rejectedBy',
      'rejectedAt',
      'reason',
    ]),
    ...items.map(item =>
      csvRow([
        item.digest,
        item.source,
        item.entityRef,
        item.target,
        item.ruleIds.join(' '),
        item.rejectedBy,
        item.rejectedAt,
        item.reason,
      ]),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Routes of artifact promotion (docs/promotion.md). Reads need ml-governance.finding.read on the
 * entity; requesting needs ml-governance.promotion.request on it; the security sign-off needs
 * ml-governance.promotion.approve, the owner sign-off ownership of the entity (PromotionService).
 */
export function registerPromotionRoutes(
  router: { get: Function; post: Function },
  context: PromotionRouteContext,
): void {
  const { httpAuth, userInfo, access, store, summaries, promotions } = context;
  const { audited, send } = context;

  async function credentialsOnEntity(
    req: AnyRequest,
    permission: ResourcePermission,
    entity: EntityState,
  ): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req);
    await access.require(credentials, permission, entity);
    return credentials;
  }

  async function signerOf(req: AnyRequest): Promise<Signer> {
    return signerFromCredentials(
      await httpAuth.credentials(req, { allow: ['user'] }),
      userInfo,
      access,
    );
  }

  /** The version's entity, after checking the caller may read it (hidden and missing look alike). */
  async function versionEntity(req: AnyRequest) {
    const id = versionIdFromParams(req.params);
    const version = await promotions.requireVersion(id);
    const entity = await summaries.requireEntity(version.entityRef);
    await credentialsOnEntity(req, mlGovernanceFindingReadPermission, entity);
    return { id, entity };
  }

  router.get(
    '/entities/:kind/:namespace/:name/versions',
    async (req: AnyRequest, res: Response) => {
      parseInput(noQuery, req.query, 'query');
      const entity = await summaries.requireEntity(
        entityRefFromParams(req.params),
      );
      await credentialsOnEntity(req, mlGovernanceFindingReadPermission, entity);
      send(res, await promotions.listVersions(entity));
    },
  );

  /** A POST that moves one version: body checked, one audit event, the version's entity readable. */
  function versionTransition<S extends z.ZodType>(
    path: string,
    eventId: string,
    schema: S,
    meta: (body: z.infer<S>) => JsonObject,
    act: (
      entity: EntityState,
      id: string,
      body: z.infer<S>,
      req: AnyRequest,
    ) => Promise<unknown>,
  ) {
    router.post(
      `/versions/:id/${path}`,
      async (req: AnyRequest, res: Response) => {
        parseInput(noQuery, req.query, 'query');
        const body = parseInput(schema, req.body, 'body');
        const id = versionIdFromParams(req.params);
        const version = await audited(
          req,
          eventId,
          { versionId: id, ...meta(body) },
          async () => {
            const { entity } = await versionEntity(req);
            return act(entity, id, body, req);
          },
        );
        send(res, version);
      },
    );
  }

  versionTransition(
    'promotion-request',
    'promotion-request',
    promotionRequestBody,
    body => ({ revision: body.revision }),
    async (entity, id, body, req) => {
      await credentialsOnEntity(
        req,
        mlGovernancePromotionRequestPermission,
        entity,
      );
      const signer = await signerOf(req);
      return promotions.requestPromotion(entity, id, body, signer.userRef);
    },
  );

  versionTransition(
    'sign-offs',
    'promotion-sign-off',
    signOffBody,
    body => ({ kind: body.kind, revision: body.revision }),
    async (entity, id, body, req) =>
      promotions.signOff(entity, id, body, await signerOf(req)),
  );

  versionTransition(
    'reject',
    'promotion-reject',
    rejectBody,
    body => ({ revision: body.revision ?? null }),
    async (entity, id, body, req) =>
      promotions.reject(entity, id, body, await signerOf(req)),
  );

  function rejectedFilter(query: { q?: string; entityRef?: string }) {
    return {
      q: query.q,
      entityRef:
        query.entityRef === undefined
          ? undefined
          : parseEntityRefInput(query.entityRef, 'query.entityRef'),
    };
  }

  const requireReportRead = async (req: AnyRequest) =>
    access.requireBasic(
      await httpAuth.credentials(req),
      mlGovernanceReportReadPermission,
    );

  router.get('/rejected-artifacts', async (req: AnyRequest, res: Response) => {
    const query = parseInput(rejectedQuery, req.query, 'query');
    await requireReportRead(req);
    send(
      res,
      await promotions.listRejected({
        ...rejectedFilter(query),
        offset: query.offset,
        limit: Math.max(1, query.limit),
      }),
    );
  });

  router.get(
    '/rejected-artifacts/export',
    async (req: AnyRequest, res: Response) => {
      const query = parseInput(rejectedExportQuery, req.query, 'query');
      await requireReportRead(req);
      const page = await promotions.listRejected({
        ...rejectedFilter(query),
        offset: 0,
        limit: REJECTED_EXPORT_MAX,
      });
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="rejected-artifacts.${query.format}"`,
      );
      if (page.totalCount > page.items.length)
        res.setHeader('X-Truncated-To', String(page.items.length));
      if (query.format === 'csv')
        res.type('text/csv; charset=utf-8').send(rejectedToCsv(page.items));
      else
        res.type('application/json').send(JSON.stringify(page.items, null, 2));
    },
  );

  router.get('/approvals/inbox', async (req: AnyRequest, res: Response) => {
    parseInput(noQuery, req.query, 'query');
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const readable = await access.filter(
      credentials,
      mlGovernanceFindingReadPermission,
    );
    const signer = await signerOf(req);
    const entities = new Map(
      (await store.listEntities())
        .filter(readable)
        .map(entity => [entity.entityRef, entity]),
    );
    const inbox: ApprovalsInbox = {
      promotions: await promotions.pendingFor(signer, entities),
      acceptances: (await access.can(
        credentials,
        mlGovernanceAcceptanceDecidePermission,
      ))
        ? (
            await store.listAcceptances({
              status: ['requested'],
              notRequestedBy: signer.userRef,
            })
          ).filter(readable)
        : [],
    };
    send(res, inbox);
  });
}
