// The CI gate: an entity's release decision, for a promoted version when given a digest.
import { InputError } from '@backstage/errors';
import { mlGovernanceGateReadPermission } from '@ml-governance/plugin-ml-governance-common';
import { gateQuery } from '../promotionRouter';
import { parseInput } from '../requestSchemas';
import type { MlGovernanceRouter, RouteContext } from './routeContext';

export function registerGateRoutes(
  router: MlGovernanceRouter,
  context: RouteContext,
): void {
  const { summaries, entityWith, send } = context;

  // CI gate: what `mlgov gate` calls, typically with an external-access token confined to
  // ml-governance.gate.read (docs/security.md). It needs no other permission.
  router.get('/gate/:kind/:namespace/:name', async (req, res) => {
    const { digest } = parseInput(gateQuery, req.query, 'query');
    const entity = await entityWith(req, mlGovernanceGateReadPermission);
    const answer = await summaries.gate(entity);
    // Promotion hook: with a digest, PASS only for a promoted version (docs/promotion.md).
    if (digest !== undefined && !context.promotions)
      throw new InputError('query.digest: promotion is not enabled');
    send(
      res,
      digest === undefined
        ? answer
        : await context.promotions!.gate(entity, digest, answer),
    );
  });
}
