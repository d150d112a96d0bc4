import type {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult, type BasicPermission, type ResourcePermission } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import type { JsonObject } from '@backstage/types';
import {
  SEVERITIES,
  mlGovernanceAcceptanceDecidePermission,
  mlGovernanceAcceptanceRequestPermission,
  mlGovernanceFindingReadPermission,
  mlGovernanceReportCreatePermission,
  mlGovernanceReportReadPermission,
  mlGovernanceScanCreatePermission,
} from '@ml-governance/plugin-ml-governance-common';
import express, { type Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { EntityState, MlGovernanceStore } from '../database/MlGovernanceStore';
import { mlGovernanceEntityResourceRef, type MlGovernanceEntityResource } from '../permissions/resource';
import { StaleImportReportService } from '../reports/StaleImportReportService';
import type { AcceptanceService } from './AcceptanceService';
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
}

/** `a,b` or repeated `?x=a&x=b` → `['a', 'b']`. */
const csvList = <T extends z.ZodType>(item: T) =>
  z.preprocess(value => {
    if (value === undefined) return undefined;
    const parts = (Array.isArray(value) ? value : [value]).flatMap(v => String(v).split(','));
    return parts.map(part => part.trim()).filter(Boolean);
  }, z.array(item).optional());

const findingsQuerySchema = z.object({
  status: csvList(z.enum(['open', 'accepted', 'resolved'])),
  severity: csvList(z.enum(SEVERITIES)),
  ruleId: z.string().max(128).optional(),
  q: z.string().max(200).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  orderBy: z.enum(['severity', 'firstSeenAt', 'lastSeenAt', 'ruleId', 'path']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});

const acceptanceStatus = z.enum(['requested', 'active', 'rejected', 'expired', 'revoked']);

const acceptanceRequestSchema = z.object({
  entityRef: z.string().min(1),
  fingerprint: z.string().min(1).max(128).optional(),
  ruleId: z.string().min(1).max(128).optional(),
  justification: z.string().trim().min(10, 'Explain why the risk is acceptable (at least 10 characters)').max(4000),
  checklist: z.object({
    inActiveUse: z.boolean(),
    saferAlternativeAvailable: z.boolean(),
    saferAlternativePlan: z.string().max(4000).optional(),
    sourceTrustedAndHashPinned: z.boolean(),
  }),
  expiresAt: z.iso.datetime({ offset: true }),
});

const decisionSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().trim().min(1, 'A decision needs a comment').max(4000),
  revision: z.number().int().min(1),
});

const revokeSchema = z.object({
  comment: z.string().trim().min(1, 'A revocation needs a comment').max(4000),
  revision: z.number().int().min(1),
});

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(result.error.issues.map(i => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
  }
  return result.data;
}

function entityRefOf(req: Request): string {
  const { kind, namespace, name } = req.params;
  return stringifyEntityRef({ kind, namespace, name });
}

/** Drops the denormalised owner the store carries along for permission checks. */
function withoutOwner<T extends { entityOwner?: string }>(item: T): Omit<T, 'entityOwner'> {
  const { entityOwner: _owner, ...rest } = item;
  return rest;
}

function toResource(entity: { entityRef: string; owner?: string; kind?: string }): MlGovernanceEntityResource {
  return {
    entityRef: entity.entityRef,
    kind: entity.kind ?? parseEntityRef(entity.entityRef).kind,
    owner: entity.owner,
  };
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, userInfo, permissions, auditor, store, summaries, scans, acceptances, reports } = options;
  const entityAuthorizer = createConditionAuthorizer(
    options.permissionsRegistry.getPermissionRuleset(mlGovernanceEntityResourceRef),
  );

  /** A filter deciding, per entity, whether the caller holds `permission` (one policy call). */
  async function entityFilter(credentials: BackstageCredentials, permission: ResourcePermission) {
    const [decision] = await permissions.authorizeConditional([{ permission }], { credentials });
    return (entity: { entityRef: string; owner?: string; kind?: string }) =>
      entityAuthorizer(decision, toResource(entity));
  }

  async function requireOnEntity(req: Request, permission: ResourcePermission, entity: EntityState) {
    const credentials = await httpAuth.credentials(req);
    const allowed = await entityFilter(credentials, permission);
    if (!allowed(entity)) throw new NotAllowedError(`Not allowed: ${permission.name} on ${entity.entityRef}`);
    return credentials;
  }

  async function requireBasic(req: Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) throw new NotAllowedError(`Not allowed: ${permission.name}`);
    return credentials;
  }

  async function currentUser(req: Request): Promise<string> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return (await userInfo.getUserInfo(credentials)).userEntityRef;
  }

  async function canDecide(req: Request): Promise<boolean> {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission: mlGovernanceAcceptanceDecidePermission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** Runs a mutation as one audit event: success with its outcome, or failure with the error. */
  async function audited<T>(req: Request, eventId: string, meta: JsonObject, action: () => Promise<T>): Promise<T> {
    const event = await auditor.createEvent({ eventId, request: req, meta, severityLevel: 'medium' });
    try {
      const result = await action();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  async function readableEntity(req: Request): Promise<EntityState> {
    const entity = await summaries.requireEntity(entityRefOf(req));
    await requireOnEntity(req, mlGovernanceFindingReadPermission, entity);
    return entity;
  }

  const router = Router();
  router.use(express.json({ limit: '100kb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Entity views

  router.get('/entities/:kind/:namespace/:name/summary', async (req, res) => {
    res.json(await summaries.entitySummary(await readableEntity(req)));
  });

  router.get('/entities/:kind/:namespace/:name/findings', async (req, res) => {
    const query = parse(findingsQuerySchema, req.query);
    const entity = await readableEntity(req);
    res.json(await store.listFindings(entity.entityRef, query));
  });

  router.get('/entities/:kind/:namespace/:name/scans', async (req, res) => {
    const { limit } = parse(z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }), req.query);
    const entity = await readableEntity(req);
    res.json(await store.listScanRuns(entity.entityRef, limit));
  });

  router.post('/entities/:kind/:namespace/:name/scans', async (req, res) => {
    const entityRef = entityRefOf(req);
    const run = await audited(req, 'scan-request', { entityRef }, async () => {
      const entity = await summaries.requireEntity(entityRef);
      const credentials = await requireOnEntity(req, mlGovernanceScanCreatePermission, entity);
      const requestedBy = options.auth.isPrincipal(credentials, 'user')
        ? credentials.principal.userEntityRef
        : 'service';
      return scans.requestScan(entityRef, requestedBy);
    });
    res.status(202).json(run);
  });

  router.get('/entities/:kind/:namespace/:name/acceptances', async (req, res) => {
    const entity = await readableEntity(req);
    res.json((await store.listAcceptances({ entityRef: entity.entityRef })).map(withoutOwner));
  });

  // Risk acceptances

  router.get('/acceptances', async (req, res) => {
    const query = parse(
      z.object({ view: z.enum(['to-decide', 'mine', 'all']), status: csvList(acceptanceStatus) }),
      req.query,
    );
    const credentials = await httpAuth.credentials(req);
    const readable = await entityFilter(credentials, mlGovernanceFindingReadPermission);
    if (query.view === 'mine') {
      const user = await currentUser(req);
      res.json((await store.listAcceptances({ requestedBy: user, status: query.status })).map(withoutOwner));
      return;
    }
    if (query.view === 'to-decide') {
      if (!(await canDecide(req))) {
        res.json([]);
        return;
      }
      const user = await currentUser(req);
      const list = await store.listAcceptances({ status: query.status ?? ['requested'], notRequestedBy: user });
      res.json(list.filter(readable).map(withoutOwner));
      return;
    }
    res.json((await store.listAcceptances({ status: query.status })).filter(readable).map(withoutOwner));
  });

  router.get('/acceptances/:id', async (req, res) => {
    const acceptance = await acceptances.get(req.params.id);
    const credentials = await httpAuth.credentials(req);
    const readable = await entityFilter(credentials, mlGovernanceFindingReadPermission);
    // Hidden and missing look the same, so the API does not reveal what exists.
    if (!readable(acceptance)) throw new NotFoundError(`No risk acceptance ${req.params.id}`);
    res.json(withoutOwner(acceptance));
  });

  router.post('/acceptances', async (req, res) => {
    const body = parse(acceptanceRequestSchema, req.body);
    const created = await audited(
      req,
      'acceptance-request',
      { entityRef: body.entityRef, fingerprint: body.fingerprint ?? null, ruleId: body.ruleId ?? null },
      async () => {
        const entity = await summaries.requireEntity(stringifyEntityRef(parseEntityRef(body.entityRef)));
        await requireOnEntity(req, mlGovernanceAcceptanceRequestPermission, entity);
        return acceptances.request(entity, body, await currentUser(req));
      },
    );
    res.status(201).json(created);
  });

  router.post('/acceptances/:id/decision', async (req, res) => {
    const body = parse(decisionSchema, req.body);
    const decided = await audited(
      req,
      'acceptance-decision',
      { acceptanceId: req.params.id, decision: body.decision, revision: body.revision },
      async () => {
        await requireBasic(req, mlGovernanceAcceptanceDecidePermission);
        return acceptances.decide(req.params.id, body, await currentUser(req));
      },
    );
    res.json(decided);
  });

  router.post('/acceptances/:id/revoke', async (req, res) => {
    const body = parse(revokeSchema, req.body);
    const revoked = await audited(req, 'acceptance-revoke', { acceptanceId: req.params.id, revision: body.revision }, async () => {
      await requireBasic(req, mlGovernanceAcceptanceDecidePermission);
      return acceptances.revoke(req.params.id, body, await currentUser(req));
    });
    res.json(revoked);
  });

  // Teams

  router.get('/teams', async (req, res) => {
    await requireBasic(req, mlGovernanceReportReadPermission);
    res.json(await store.teamOverviews());
  });

  router.get('/teams/:namespace/:name', async (req, res) => {
    const { trendDays } = parse(z.object({ trendDays: z.coerce.number().int().min(1).max(730).default(90) }), req.query);
    await requireBasic(req, mlGovernanceReportReadPermission);
    const owner = stringifyEntityRef({ kind: 'group', namespace: req.params.namespace, name: req.params.name });
    res.json(await summaries.teamSummary(owner, trendDays));
  });

  // Stale-import reports

  router.get('/reports/stale-imports', async (req, res) => {
    await requireBasic(req, mlGovernanceReportReadPermission);
    res.json(await store.listReports());
  });

  router.post('/reports/stale-imports', async (req, res) => {
    const meta = await audited(req, 'stale-import-report-generate', {}, async () => {
      await requireBasic(req, mlGovernanceReportCreatePermission);
      return reports.generate('manual');
    });
    res.status(201).json(meta);
  });

  async function readReport(req: Request) {
    await requireBasic(req, mlGovernanceReportReadPermission);
    const report = await store.getReport(req.params.id);
    if (!report) throw new NotFoundError(`No stale-import report ${req.params.id}`);
    return report;
  }

  router.get('/reports/stale-imports/:id', async (req, res) => {
    const { owner } = parse(z.object({ owner: z.string().optional() }), req.query);
    res.json(StaleImportReportService.forOwner(await readReport(req), owner));
  });

  router.get('/reports/stale-imports/:id/export', async (req, res) => {
    const { format, owner } = parse(
      z.object({ format: z.enum(['csv', 'json']).default('json'), owner: z.string().optional() }),
      req.query,
    );
    const report = StaleImportReportService.forOwner(await readReport(req), owner);
    const filename = `stale-imports-${report.period}-${report.id.slice(0, 8)}.${format}`;
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').send(StaleImportReportService.toCsv(report));
    } else {
      res.type('application/json').send(JSON.stringify(report, null, 2));
    }
  });

  // CI gate: reachable with external-access static tokens (service principals).

  router.get('/gate/:kind/:namespace/:name', async (req, res) => {
    res.json(await summaries.gate(await readableEntity(req)));
  });

  return router;
}
