import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { useCallback } from 'react';
import { ENTITY_CONTENT_PATH } from '../routes';

/** Builds links to an entity's ML Governance tab, for drill-downs from dashboards and queues. */
export function useEntityTabLink(): (entityRef: string) => string {
  const entityRoute = useRouteRef(entityRouteRef);
  return useCallback(
    (entityRef: string) =>
      `${entityRoute(
        entityRouteParams(parseEntityRef(entityRef)),
      )}/${ENTITY_CONTENT_PATH}`,
    [entityRoute],
  );
}
