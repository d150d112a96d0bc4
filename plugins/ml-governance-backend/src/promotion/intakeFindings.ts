import type { RejectedArtifact } from '@ml-governance/plugin-ml-governance-common';
import type { ScannedFinding } from '../database/MlGovernanceStore';
import { targetFinding } from '../scanning/targetFinding';
import type { MovingReference } from './artifactReferences';

function intakeFinding(
  ruleId: 'INTAKE-REJECTED-ARTIFACT' | 'INTAKE-MOVING-REFERENCE',
  target: string,
  key: string,
  message: string,
  evidence: Record<string, string>,
): ScannedFinding {
  // Keyed by what it is about (the digest, the reference), so it resolves once that changes.
  return targetFinding({ ruleId, target, key, message, evidence });
}

/** The critical finding for a target whose digest is in the rejected-artifact log. */
export function rejectedArtifactFinding(
  target: string,
  rejected: RejectedArtifact,
): ScannedFinding {
  return intakeFinding(
    'INTAKE-REJECTED-ARTIFACT',
    target,
    `rejected:${rejected.digest}`,
    `Digest ${rejected.digest} was rejected under ${rejected.entityRef} by ${
      rejected.rejectedBy
    } on ${rejected.rejectedAt.slice(0, 10)}: ${rejected.reason}`,
    {
      digest: rejected.digest,
      rejectedUnder: rejected.entityRef,
      rejectedBy: rejected.rejectedBy,
      rejectedAt: rejected.rejectedAt,
      reason: rejected.reason.slice(0, 1000),
    },
  );
}

/** The finding for a target that names a moving reference. */
export function movingReferenceFinding(
  target: string,
  moving: MovingReference,
): ScannedFinding {
  return intakeFinding(
    'INTAKE-MOVING-REFERENCE',
    target,
    `moving:${moving.reference}`,
    `${moving.reason}; pin it so the evaluated version is the deployed one`,
    { reference: moving.reference, reason: moving.reason },
  );
}
