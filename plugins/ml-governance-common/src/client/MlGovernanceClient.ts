import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type { MlGovernanceApi, RequestOptions } from '../api';
import type { EntityProvenance } from '../provenance';
import type { ModelApiProbeSeries } from '../modelApiProbes';
import type {
  AcceptanceDecision,
  AcceptanceRequest,
  AcceptanceStatus,
  AcceptanceWithHistory,
  CiScanUpload,
  CursorPage,
  EntitySummary,
  Finding,
  FindingsQuery,
  GateResponse,
  Page,
  RiskAcceptance,
  ScanRun,
  StaleImportReport,
  StaleImportReportMeta,
  TeamOverview,
  TeamRiskSummary,
} from '../types';
import type {
  ApprovalsInbox,
  ArtifactVersion,
  PromotionRejectInput,
  PromotionRequestInput,
  PromotionSignOffInput,
  RejectedArtifact,
  RejectedArtifactQuery,
} from '../promotion';

/**
 * The plugin ID under which the backend is mounted (`/api/ml-governance`).
 *
 * @public
 */
export const ML_GOVERNANCE_PLUGIN_ID = 'ml-governance';

/**
 * The subset of Backstage's DiscoveryApi the client needs (frontend and backend variants both fit).
 *
 * @public
 */
export interface MlGovernanceDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/**
 * The subset of Backstage's FetchApi the client needs; defaults to the global fetch.
 *
 * @public
 */
export interface MlGovernanceFetch {
  fetch: typeof fetch;
}

type Query = Record<string, string | number | string[] | undefined>;

/**
 * Response header of the next page's cursor on list routes answered as arrays.
 *
 * @public
 */
export const NEXT_CURSOR_HEADER = 'ml-governance-next-cursor';

/** Most pages a list-everything call follows (a bound, not an expected size). */
const MAX_PAGES = 100;

/**
 * Path of an entity in the API: `/entities/<kind>/<namespace>/<name>`. Kinds are lower-cased like the
 * catalog's own routes so `Resource:default/x` and `resource:default/x` name the same thing.
 *
 * @public
 */
export function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

function groupPath(groupRef: string): string {
  const { namespace, name } = parseEntityRef(groupRef, {
    defaultKind: 'group',
  });
  return `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * HTTP client for the ML Governance backend; throws `ResponseError` on any non-2xx answer.
 *
 * @public
 */
export class MlGovernanceClient implements MlGovernanceApi {
  private readonly discoveryApi: MlGovernanceDiscovery;
  private readonly fetchApi: MlGovernanceFetch;

  constructor(options: {
    discoveryApi: MlGovernanceDiscovery;
    fetchApi?: MlGovernanceFetch;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? {
      fetch: (input, init) => fetch(input, init),
    };
  }

  getEntitySummary(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<EntitySummary> {
    return this.get(`/entities/${entityPath(entityRef)}/summary`, {}, options);
  }

  getFindings(
    entityRef: string,
    query: FindingsQuery = {},
    options?: RequestOptions,
  ): Promise<Page<Finding>> {
    return this.get(
      `/entities/${entityPath(entityRef)}/findings`,
      { ...query },
      options,
    );
  }

  getProvenance(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<EntityProvenance> {
    return this.get(
      `/entities/${entityPath(entityRef)}/provenance`,
      {},
      options,
    );
  }

  getScans(
    entityRef: string,
    options: RequestOptions & { limit?: number } = {},
  ): Promise<ScanRun[]> {
    return this.get(
      `/entities/${entityPath(entityRef)}/scans`,
      { limit: options.limit },
      options,
    );
  }

  async getScansPage(
    entityRef: string,
    options: RequestOptions & { limit?: number; cursor?: string } = {},
  ): Promise<CursorPage<ScanRun>> {
    const { body, nextCursor } = await this.getWithCursor<ScanRun[]>(
      `/entities/${entityPath(entityRef)}/scans`,
      { limit: options.limit, cursor: options.cursor },
      options,
    );
    return { items: body, ...(nextCursor ? { nextCursor } : {}) };
  }

  triggerScan(entityRef: string, options?: RequestOptions): Promise<ScanRun> {
    return this.send(
      'POST',
      `/entities/${entityPath(entityRef)}/scans`,
      {},
      options,
    );
  }

  /** Uploads a CI scan; the answer carries the decision the portal computed. */
  reportCiScan(
    entityRef: string,
    upload: CiScanUpload,
    options?: RequestOptions,
  ): Promise<ScanRun> {
    return this.send(
      'POST',
      `/entities/${entityPath(entityRef)}/ci-scans`,
      upload,
      options,
    );
  }

  getEntityAcceptances(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<AcceptanceWithHistory[]> {
    return this.get(
      `/entities/${entityPath(entityRef)}/acceptances`,
      {},
      options,
    );
  }

  async listAcceptances(
    query: { view: 'to-decide' | 'mine' | 'all'; status?: AcceptanceStatus[] },
    options?: RequestOptions,
  ): Promise<AcceptanceWithHistory[]> {
    const all: AcceptanceWithHistory[] = [];
    let cursor: string | undefined;
    // Follows the keyset pages to the end (MAX_PAGES × 500 acceptances at most): callers get the list.
    for (let page = 0; page < MAX_PAGES; page++) {
      const { body, nextCursor } = await this.getWithCursor<
        AcceptanceWithHistory[]
      >(
        '/acceptances',
        { view: query.view, status: query.status, limit: 500, cursor },
        options,
      );
      all.push(...body);
      if (!nextCursor) break;
      cursor = nextCursor;
    }
    return all;
  }

  getAcceptance(
    id: string,
    options?: RequestOptions,
  ): Promise<AcceptanceWithHistory> {
    return this.get(`/acceptances/${encodeURIComponent(id)}`, {}, options);
  }

  requestAcceptance(
    request: AcceptanceRequest,
    options?: RequestOptions,
  ): Promise<RiskAcceptance> {
    return this.send('POST', '/acceptances', request, options);
  }

  decideAcceptance(
    id: string,
    decision: AcceptanceDecision,
    options?: RequestOptions,
  ): Promise<RiskAcceptance> {
    return this.send(
      'POST',
      `/acceptances/${encodeURIComponent(id)}/decision`,
      decision,
      options,
    );
  }

  revokeAcceptance(
    id: string,
    body: { comment: string; revision: number },
    options?: RequestOptions,
  ): Promise<RiskAcceptance> {
    return this.send(
      'POST',
      `/acceptances/${encodeURIComponent(id)}/revoke`,
      body,
      options,
    );
  }

  listTeams(options?: RequestOptions): Promise<TeamOverview[]> {
    return this.get('/teams', {}, options);
  }

  async getTeamSummary(
    groupRef: string,
    options: RequestOptions & {
      trendDays?: number;
      entityLimit?: number;
      entityCursor?: string;
    } = {},
  ): Promise<TeamRiskSummary> {
    const path = `/teams/${groupPath(groupRef)}`;
    const first = await this.get<TeamRiskSummary>(
      path,
      {
        trendDays: options.trendDays,
        entityLimit: options.entityLimit,
        entityCursor: options.entityCursor,
      },
      options,
    );
    // Asked for one page: that page. Otherwise every entity, a keyset page at a time.
    if (options.entityLimit !== undefined || options.entityCursor) return first;
    let cursor = first.entitiesNextCursor;
    for (let page = 1; cursor && page < MAX_PAGES; page++) {
      const next = await this.get<TeamRiskSummary>(
        path,
        {
          trendDays: options.trendDays,
          entityLimit: 1000,
          entityCursor: cursor,
        },
        options,
      );
      first.entities.push(...next.entities);
      cursor = next.entitiesNextCursor;
    }
    const { entitiesNextCursor: _done, ...summary } = first;
    return summary;
  }

  listStaleImportReports(
    options?: RequestOptions,
  ): Promise<StaleImportReportMeta[]> {
    return this.get('/reports/stale-imports', {}, options);
  }

  getStaleImportReport(
    id: string,
    options: RequestOptions & { owner?: string } = {},
  ): Promise<StaleImportReport> {
    return this.get(
      `/reports/stale-imports/${encodeURIComponent(id)}`,
      { owner: options.owner },
      options,
    );
  }

  async getStaleImportReportDownloadUrl(
    id: string,
    format: 'csv' | 'json',
  ): Promise<string> {
    const base = await this.discoveryApi.getBaseUrl(ML_GOVERNANCE_PLUGIN_ID);
    return `${base}/reports/stale-imports/${encodeURIComponent(
      id,
    )}/export${queryString({ format })}`;
  }

  generateStaleImportReport(
    options?: RequestOptions,
  ): Promise<StaleImportReportMeta> {
    return this.send('POST', '/reports/stale-imports', {}, options);
  }

  getGate(
    entityRef: string,
    options: RequestOptions & { digest?: string } = {},
  ): Promise<GateResponse> {
    return this.get(
      `/gate/${entityPath(entityRef)}`,
      { digest: options.digest },
      options,
    );
  }

  getEntityVersions(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<ArtifactVersion[]> {
    return this.get(`/entities/${entityPath(entityRef)}/versions`, {}, options);
  }

  requestPromotion(
    versionId: string,
    input: PromotionRequestInput,
    options?: RequestOptions,
  ): Promise<ArtifactVersion> {
    return this.send(
      'POST',
      `/versions/${encodeURIComponent(versionId)}/promotion-request`,
      input,
      options,
    );
  }

  signOffVersion(
    versionId: string,
    input: PromotionSignOffInput,
    options?: RequestOptions,
  ): Promise<ArtifactVersion> {
    return this.send(
      'POST',
      `/versions/${encodeURIComponent(versionId)}/sign-offs`,
      input,
      options,
    );
  }

  rejectVersion(
    versionId: string,
    input: PromotionRejectInput,
    options?: RequestOptions,
  ): Promise<ArtifactVersion> {
    return this.send(
      'POST',
      `/versions/${encodeURIComponent(versionId)}/reject`,
      input,
      options,
    );
  }

  listRejectedArtifacts(
    query: RejectedArtifactQuery = {},
    options?: RequestOptions,
  ): Promise<Page<RejectedArtifact>> {
    return this.get(
      '/rejected-artifacts',
      {
        q: query.q,
        entityRef: query.entityRef,
        offset: query.offset,
        limit: query.limit,
      },
      options,
    );
  }

  async getRejectedArtifactsDownloadUrl(
    format: 'csv' | 'json',
    query: Pick<RejectedArtifactQuery, 'q' | 'entityRef'> = {},
  ): Promise<string> {
    const base = await this.discoveryApi.getBaseUrl(ML_GOVERNANCE_PLUGIN_ID);
    return `${base}/rejected-artifacts/export${queryString({
      format,
      q: query.q,
      entityRef: query.entityRef,
    })}`;
  }

  getApprovalsInbox(options?: RequestOptions): Promise<ApprovalsInbox> {
    return this.get('/approvals/inbox', {}, options);
  }

  getModelApiProbes(
    entityRef: string,
    options: RequestOptions & { limit?: number } = {},
  ): Promise<ModelApiProbeSeries> {
    return this.get(
      '/model-apis/probes',
      { entityRef, limit: options.limit },
      options,
    );
  }

  private get<T>(
    path: string,
    query: Query,
    options?: RequestOptions,
  ): Promise<T> {
    return this.request<T>(
      `${path}${queryString(query)}`,
      { method: 'GET' },
      options,
    );
  }

  private send<T>(
    method: 'POST',
    path: string,
    body: unknown,
    options?: RequestOptions,
  ): Promise<T> {
    return this.request<T>(
      path,
      {
        method,
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
      },
      options,
    );
  }

  /** A GET whose next page's cursor comes in the response header (lists answered as arrays). */
  private async getWithCursor<T>(
    path: string,
    query: Query,
    options?: RequestOptions,
  ): Promise<{ body: T; nextCursor?: string }> {
    let nextCursor: string | undefined;
    const body = await this.request<T>(
      `${path}${queryString(query)}`,
      { method: 'GET' },
      options,
      response => {
        nextCursor = response.headers.get(NEXT_CURSOR_HEADER) ?? undefined;
      },
    );
    return { body, nextCursor };
  }

  private async request<T>(
    path: string,
    init: RequestInit,
    options?: RequestOptions,
    onResponse?: (response: Response) => void,
  ): Promise<T> {
    const base = await this.discoveryApi.getBaseUrl(ML_GOVERNANCE_PLUGIN_ID);
    const headers = new Headers(init.headers);
    if (options?.token) headers.set('Authorization', `Bearer ${options.token}`);
    const response = await this.fetchApi.fetch(`${base}${path}`, {
      ...init,
      headers,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    onResponse?.(response);
    return (await response.json()) as T;
  }
}
