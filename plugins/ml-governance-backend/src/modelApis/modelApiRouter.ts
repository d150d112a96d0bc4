import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { mlGovernanceFindingReadPermission } from '@ml-governance/plugin-ml-governance-common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { EntityAccess } from '../permissions/EntityAccess';
import { parseEntityRefInput } from '../service/requestGuards';
import { parseInput } from '../service/requestSchemas';
import type { SummaryService } from '../service/SummaryService';
import type { ModelApiSeriesService } from './ModelApiSeries';

const probesQuery = z.strictObject({
  entityRef: z.string().min(1).max(255),
  limit: z
    .union([
      z
        .string()
        .regex(/^\d{1,4}$/)
        .transform(Number),
      z.number(),
    ])
    .pipe(z.number().int().min(1).max(500))
    .optional()
    .transform(value => value ?? 100),
});

export interface ModelApiRouteContext {
  httpAuth: HttpAuthService;
  access: EntityAccess;
  summaries: SummaryService;
  catalog: CatalogService;
  series: ModelApiSeriesService;
  send(res: Response<any>, body: unknown, status?: number): void;
}

/**
 * `GET /model-apis/probes` (docs/model-apis.md): the same read permission as the entity's
 * findings; the declaration is read from the catalog with the caller's own credentials, so an
 * entity the caller may not see in the catalog is not found here either.
 */
export function registerModelApiRoutes(
  router: { get: Function },
  context: ModelApiRouteContext,
): void {
  router.get(
    '/model-apis/probes',
    async (req: Request<any, any, any, any>, res: Response) => {
      const query = parseInput(probesQuery, req.query, 'query');
      const entityRef = parseEntityRefInput(query.entityRef, 'query.entityRef');
      const credentials = await context.httpAuth.credentials(req);
      const state = await context.summaries.requireEntity(entityRef);
      await context.access.require(
        credentials,
        mlGovernanceFindingReadPermission,
        state,
      );
      const entity = await context.catalog.getEntityByRef(entityRef, {
        credentials,
      });
      if (!entity)
        throw new NotFoundError(`${entityRef} is not in the catalog`);
      context.send(res, await context.series.series(entity, query.limit));
    },
  );
}
