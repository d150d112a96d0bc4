// Risk acceptances: an entity's acceptances, the acceptance lists and the request/decide/revoke workflow.
import { NotFoundError } from '@backstage/errors';
import {
  mlGovernanceAcceptanceDecidePermission,
  mlGovernanceAcceptanceRequestPermission,
  mlGovernanceFindingReadPermission,
} from '@ml-governance/plugin-ml-governance-common';
import type { AcceptanceFilter } from '../../database/MlGovernanceStore';
import { idFromParams, parseEntityRefInput } from '../requestGuards';
import {
  acceptanceRequestBody,
  acceptancesQuery,
  decisionBody,
  noQuery,
  parseInput,
  revokeBody,
} from '../requestSchemas';
import type { MlGovernanceRouter, RouteContext } from './routeContext';

export function registerAcceptanceRoutes(
  router: MlGovernanceRouter,
  context: RouteContext,
): void {
  const { httpAuth, access, store, summaries, acceptances } = context;
  const {
    requireOnEntity,
    requireBasic,
    currentUser,
    audited,
    entityWith,
    send,
    setNextCursor,
  } = context;

  router.get(
    '/entities/:kind/:namespace/:name/acceptances',
    async (req, res) => {
      parseInput(noQuery, req.query, 'query');
      const entity = await entityWith(req, mlGovernanceFindingReadPermission);
      send(res, await store.listAcceptances({ entityRef: entity.entityRef }));
    },
  );

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
}
