import type { ScanTargetResult } from '@ml-governance/plugin-ml-governance-common';
import type {
  ClaimedEntity,
  ScannedFinding,
} from '../../database/MlGovernanceStore';
import { targetFinding } from '../../scanning/targetFinding';
import { SCAN_SELF_TARGETS } from '../DecisionService';

/** The scan's lease on the entity expired and another replica took it over: nothing is written. */
export class LeaseLostError extends Error {
  constructor(entityRef: string) {
    super(
      `Lease on ${entityRef} was lost to another replica; its results are discarded`,
    );
    this.name = 'LeaseLostError';
  }
}

/** A failure described without server paths or scanned text: the error's class and code only. */
export function describeFailure(error: unknown): string {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  const parts = [typeof name === 'string' ? name : 'Error'];
  if (typeof code === 'string' || typeof code === 'number')
    parts.push(`code ${code}`);
  return parts
    .join(', ')
    .replace(/[^\w ,.:-]/g, '')
    .slice(0, 120);
}

/**
 * The SCAN-ERROR finding about the scan itself (results not stored or not computed, policy unknown).
 * Its target is one of {@link SCAN_SELF_TARGETS}, which every later scan covers, so it resolves as soon
 * as a scan succeeds again.
 */
export function scanSelfFailureFinding(
  kind: keyof typeof SCAN_SELF_TARGETS,
  message: string,
): ScannedFinding {
  const fixes: Record<keyof typeof SCAN_SELF_TARGETS, string> = {
    store:
      'The scan ran but its results could not be saved. Check the backend logs and database, then rescan; the entity stays not-PASS until a scan is stored.',
    scan: 'The scan could not be completed. Check the backend logs, then rescan; the entity stays not-PASS until a scan succeeds.',
    policy:
      'Name a policy configured under mlGovernance.policies in the ml-governance.io/policy annotation (or remove the annotation), then rescan.',
  };
  return targetFinding({
    ruleId: 'SCAN-ERROR',
    target: SCAN_SELF_TARGETS[kind],
    key: `scan-self-${kind}`,
    message,
    fix: fixes[kind],
  });
}

export interface ScanOutcome {
  entity: ClaimedEntity;
  targets: ScanTargetResult[];
  findings: ScannedFinding[];
  scannedTargets: string[];
  digests: Record<string, string>;
  /** Set when the scan could not be computed at all. */
  error?: unknown;
}

/** The SCAN-ERROR finding recorded when a whole target cannot be read. */
export function unreadableTargetFinding(
  target: string,
  error: unknown,
): ScannedFinding {
  const message = `Target could not be read: ${
    error instanceof Error ? error.message : String(error)
  }`;
  return targetFinding({
    ruleId: 'SCAN-ERROR',
    target,
    key: 'target-unreadable',
    message,
    fix: 'Check that the target exists, is reachable through a configured integration (url:) or lies under an allowed root (file:), then rescan.',
  });
}

/**
 * Nothing was read (every target unchanged since a stored scan) and nothing is wrong: nothing the
 * decision depends on changed, so only the claim and the run need finishing.
 */
export function isUnchanged(outcome: ScanOutcome): boolean {
  const { entity } = outcome;
  return (
    outcome.error === undefined &&
    outcome.findings.length === 0 &&
    outcome.targets.length > 0 &&
    outcome.targets.every(target => target.status === 'unchanged') &&
    entity.scanError === undefined &&
    entity.lastScannedAt !== undefined
  );
}

export function storeFailure(error: unknown): string {
  return `Scan results could not be stored (${describeFailure(error)})`;
}
