// Team dashboards: the overview of all teams and one team's summary.
import { mlGovernanceReportReadPermission } from '@ml-governance/plugin-ml-governance-common';
import { groupRefFromParams } from '../requestGuards';
import { noQuery, parseInput, teamQuery } from '../requestSchemas';
import type { MlGovernanceRouter, RouteContext } from './routeContext';

export function registerTeamRoutes(
  router: MlGovernanceRouter,
  context: RouteContext,
): void {
  const { store, summaries, requireBasic, send } = context;

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
}
