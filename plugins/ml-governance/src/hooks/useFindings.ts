import { useApi } from '@backstage/frontend-plugin-api';
import type {
  Finding,
  FindingsQuery,
  Page,
} from '@ml-governance/plugin-ml-governance-common';
import { useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { mlGovernanceApiRef } from '../api';

/** Cursors kept per table: enough for every page a user walks, bounded so a long session stays small. */
const MAX_REMEMBERED_CURSORS = 200;

/**
 * One server-side page of the entity's findings for the given filters. The table pages by offset;
 * when the page before the requested one was fetched, its keyset cursor is sent instead, so the
 * next page costs what the first does and does not shift while scans add findings.
 */
export function useFindings(entityRef: string, query: FindingsQuery) {
  const api = useApi(mlGovernanceApiRef);
  const cursors = useRef(new Map<string, string>());
  // The query object is rebuilt on every render; its serialised form is the real dependency.
  const queryKey = JSON.stringify(query);
  return useAsyncRetry(async (): Promise<Page<Finding>> => {
    const full = JSON.parse(queryKey) as FindingsQuery;
    const { offset = 0, ...filters } = full;
    const listKey = `${entityRef}\n${JSON.stringify(filters)}`;
    const cursor =
      offset > 0 ? cursors.current.get(`${listKey}\n${offset}`) : undefined;
    let page: Page<Finding>;
    try {
      page = await api.getFindings(
        entityRef,
        cursor ? { ...filters, cursor } : full,
      );
    } catch (error) {
      // A cursor the backend no longer accepts (e.g. after an upgrade): the offset still works.
      if (!cursor || (error as { statusCode?: number }).statusCode !== 400)
        throw error;
      page = await api.getFindings(entityRef, full);
    }
    if (page.nextCursor) {
      if (cursors.current.size >= MAX_REMEMBERED_CURSORS)
        cursors.current.clear();
      cursors.current.set(
        `${listKey}\n${offset + page.items.length}`,
        page.nextCursor,
      );
    }
    return { ...page, offset };
  }, [api, entityRef, queryKey]);
}
