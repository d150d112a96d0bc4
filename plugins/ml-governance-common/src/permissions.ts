import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resource type of permissions that act on one entity's ML Governance data.
 *
 * @public
 */
export const ML_GOVERNANCE_ENTITY_RESOURCE_TYPE = 'ml-governance-entity';

/**
 * Read an entity's findings, scans and acceptances. Conditional: policies may restrict to owners.
 *
 * @public
 */
export const mlGovernanceFindingReadPermission = createPermission({
  name: 'ml-governance.finding.read',
  attributes: { action: 'read' },
  resourceType: ML_GOVERNANCE_ENTITY_RESOURCE_TYPE,
});

/**
 * Read an entity's release decision and what blocks it (`GET /gate/...`, what `mlgov gate` calls).
 * Separate from finding.read so a CI token can be confined to it with
 * `accessRestrictions: [{ plugin: ml-governance, permission: ml-governance.gate.read }]`.
 *
 * @public
 */
export const mlGovernanceGateReadPermission = createPermission({
  name: 'ml-governance.gate.read',
  attributes: { action: 'read' },
  resourceType: ML_GOVERNANCE_ENTITY_RESOURCE_TYPE,
});

/**
 * Trigger a manual rescan of an entity.
 *
 * @public
 */
export const mlGovernanceScanCreatePermission = createPermission({
  name: 'ml-governance.scan.create',
  attributes: { action: 'create' },
  resourceType: ML_GOVERNANCE_ENTITY_RESOURCE_TYPE,
});

/**
 * Upload a scan made in CI for an entity (`POST /entities/.../ci-scans`, `mlgov scan --report-to`).
 * A resource permission so policies can condition it on ownership; a static token confined to it
 * with accessRestrictions can report scans but read nothing.
 *
 * @public
 */
export const mlGovernanceScanReportPermission = createPermission({
  name: 'ml-governance.scan.report',
  attributes: { action: 'create' },
  resourceType: ML_GOVERNANCE_ENTITY_RESOURCE_TYPE,
});

/**
 * Request a risk acceptance on an entity (typically its owners).
 *
 * @public
 */
export const mlGovernanceAcceptanceRequestPermission = createPermission({
  name: 'ml-governance.acceptance.request',
  attributes: { action: 'create' },
  resourceType: ML_GOVERNANCE_ENTITY_RESOURCE_TYPE,
});

/**
 * Approve or reject (and revoke) risk acceptances. Never effective on one's own request.
 *
 * @public
 */
export const mlGovernanceAcceptanceDecidePermission = createPermission({
  name: 'ml-governance.acceptance.decide',
  attributes: { action: 'update' },
});

/**
 * Read team dashboards and stale-import reports.
 *
 * @public
 */
export const mlGovernanceReportReadPermission = createPermission({
  name: 'ml-governance.report.read',
  attributes: { action: 'read' },
});

/**
 * Generate a stale-import report on demand.
 *
 * @public
 */
export const mlGovernanceReportCreatePermission = createPermission({
  name: 'ml-governance.report.create',
  attributes: { action: 'create' },
});

/**
 * Request the promotion of an evaluated artifact version of an entity (typically its owners). The
 * requester can give neither sign-off on their own request.
 *
 * @public
 */
export const mlGovernancePromotionRequestPermission = createPermission({
  name: 'ml-governance.promotion.request',
  attributes: { action: 'create' },
  resourceType: ML_GOVERNANCE_ENTITY_RESOURCE_TYPE,
});

/**
 * The security approver of promotions: gives the `security` sign-off on the scan results and may
 * reject a version. The `owner` sign-off needs no permission but ownership of the entity.
 *
 * @public
 */
export const mlGovernancePromotionApprovePermission = createPermission({
  name: 'ml-governance.promotion.approve',
  attributes: { action: 'update' },
});

/**
 * Every ML Governance permission, for registration and policy authors.
 *
 * @public
 */
export const mlGovernancePermissions = [
  mlGovernanceFindingReadPermission,
  mlGovernanceGateReadPermission,
  mlGovernanceScanCreatePermission,
  mlGovernanceScanReportPermission,
  mlGovernanceAcceptanceRequestPermission,
  mlGovernanceAcceptanceDecidePermission,
  mlGovernanceReportReadPermission,
  mlGovernanceReportCreatePermission,
  mlGovernancePromotionRequestPermission,
  mlGovernancePromotionApprovePermission,
];
