// Entity views: an entity's summary, findings, scan history and provenance.
import { mlGovernanceFindingReadPermission } from '@ml-governance/plugin-ml-governance-common';
import {
  findingsQuery,
  noQuery,
  parseInput,
  scansQuery,
} from '../requestSchemas';
import type { MlGovernanceRouter, RouteContext } from './routeContext';

export function registerEntityRoutes(
  router: MlGovernanceRouter,
  context: RouteContext,
): void {
  const { store, summaries, provenance, entityWith, send, setNextCursor } =
    context;

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
}
