import type {
  CiScanUpload,
  CursorPage,
  AcceptanceDecision,
  AcceptanceRequest,
  AcceptanceStatus,
  AcceptanceWithHistory,
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
} from './types';
import type { EntityProvenance } from './provenance';
import type { ModelApiProbeSeries } from './modelApiProbes';
import type {
  ApprovalsInbox,
  ArtifactVersion,
  PromotionRejectInput,
  PromotionRequestInput,
  PromotionSignOffInput,
  RejectedArtifact,
  RejectedArtifactQuery,
} from './promotion';

/**
 * Request options every call accepts (the frontend passes nothing; backends pass a token).
 *
 * @public
 */
export interface RequestOptions {
  token?: string;
}

/**
 * The ML Governance REST API (mounted at `/api/ml-governance`). Entity and group references are
 * full refs (`resource:default/fraud-model`, `group:default/ml-platform`).
 *
 * @public
 */
export interface MlGovernanceApi {
  getEntitySummary(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<EntitySummary>;
  getFindings(
    entityRef: string,
    query?: FindingsQuery,
    options?: RequestOptions,
  ): Promise<Page<Finding>>;
  getScans(
    entityRef: string,
    options?: RequestOptions & { limit?: number },
  ): Promise<ScanRun[]>;
  /** Scan runs a keyset page at a time, newest first (queued ones ahead). */
  getScansPage(
    entityRef: string,
    options?: RequestOptions & { limit?: number; cursor?: string },
  ): Promise<CursorPage<ScanRun>>;
  triggerScan(entityRef: string, options?: RequestOptions): Promise<ScanRun>;
  /** Uploads a scan made in CI (needs ml-governance.scan.report); returns the stored run. */
  reportCiScan(
    entityRef: string,
    upload: CiScanUpload,
    options?: RequestOptions,
  ): Promise<ScanRun>;
  getEntityAcceptances(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<AcceptanceWithHistory[]>;
  /** `to-decide`: requests the caller may decide (never their own); `mine`: the caller's requests. */
  listAcceptances(
    query: { view: 'to-decide' | 'mine' | 'all'; status?: AcceptanceStatus[] },
    options?: RequestOptions,
  ): Promise<AcceptanceWithHistory[]>;
  getAcceptance(
    id: string,
    options?: RequestOptions,
  ): Promise<AcceptanceWithHistory>;
  requestAcceptance(
    request: AcceptanceRequest,
    options?: RequestOptions,
  ): Promise<RiskAcceptance>;
  decideAcceptance(
    id: string,
    decision: AcceptanceDecision,
    options?: RequestOptions,
  ): Promise<RiskAcceptance>;
  revokeAcceptance(
    id: string,
    body: { comment: string; revision: number },
    options?: RequestOptions,
  ): Promise<RiskAcceptance>;
  listTeams(options?: RequestOptions): Promise<TeamOverview[]>;
  /**
   * One team's dashboard. With `entityLimit` or `entityCursor`: one page of its entities (follow
   * `entitiesNextCursor`); without: every entity, the pages followed for the caller.
   */
  getTeamSummary(
    groupRef: string,
    options?: RequestOptions & {
      trendDays?: number;
      entityLimit?: number;
      entityCursor?: string;
    },
  ): Promise<TeamRiskSummary>;
  listStaleImportReports(
    options?: RequestOptions,
  ): Promise<StaleImportReportMeta[]>;
  /** `id` may be `latest`. */
  getStaleImportReport(
    id: string,
    options?: RequestOptions & { owner?: string },
  ): Promise<StaleImportReport>;
  /** URL of the CSV/JSON export, for a download link. */
  getStaleImportReportDownloadUrl(
    id: string,
    format: 'csv' | 'json',
  ): Promise<string>;
  generateStaleImportReport(
    options?: RequestOptions,
  ): Promise<StaleImportReportMeta>;
  /** With `digest`: PASS only when that artifact version is promoted. */
  getGate(
    entityRef: string,
    options?: RequestOptions & { digest?: string },
  ): Promise<GateResponse>;
  /** The entity's artifact versions with stage, sign-offs and audit trail (docs/promotion.md). */
  getEntityVersions(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<ArtifactVersion[]>;
  requestPromotion(
    versionId: string,
    input: PromotionRequestInput,
    options?: RequestOptions,
  ): Promise<ArtifactVersion>;
  signOffVersion(
    versionId: string,
    input: PromotionSignOffInput,
    options?: RequestOptions,
  ): Promise<ArtifactVersion>;
  rejectVersion(
    versionId: string,
    input: PromotionRejectInput,
    options?: RequestOptions,
  ): Promise<ArtifactVersion>;
  listRejectedArtifacts(
    query?: RejectedArtifactQuery,
    options?: RequestOptions,
  ): Promise<Page<RejectedArtifact>>;
  /** URL of the rejected-artifact log export, for a download link. */
  getRejectedArtifactsDownloadUrl(
    format: 'csv' | 'json',
    query?: Pick<RejectedArtifactQuery, 'q' | 'entityRef'>,
  ): Promise<string>;
  /** Promotions and acceptances the caller can decide. */
  getApprovalsInbox(options?: RequestOptions): Promise<ApprovalsInbox>;
  /** Image digests, signatures and sha256 pins of the entity's last scan. */
  getProvenance(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<EntityProvenance>;
  /**
   * The probe runs of a model API (`ml-governance.io/model-api`), oldest first, with the baseline they
   * are compared with. `limit`: the newest 1..500 runs (the server's default is 100).
   */
  getModelApiProbes(
    entityRef: string,
    options?: RequestOptions & { limit?: number },
  ): Promise<ModelApiProbeSeries>;
}
