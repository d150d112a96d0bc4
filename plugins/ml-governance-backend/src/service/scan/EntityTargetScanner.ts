import type { ScanTargetResult } from '@ml-governance/plugin-ml-governance-common';
import type {
  ClaimedEntity,
  EntityRecord,
  EntityState,
  ScannedFinding,
} from '../../database/MlGovernanceStore';
import { entityReaderOptions } from '../../scanning/entityScanContext';
import { scanOptionsFromPolicy } from '../../policy/PolicyRegistry';
import {
  scanSelfFailureFinding,
  unreadableTargetFinding,
  type ScanOutcome,
} from './scanFindings';
import type { ScanServiceOptions } from './ScanServiceOptions';

/**
 * Scans one claimed entity: every target resolved and, unless unchanged since its stored digest,
 * read by the scanner under the entity's policy. Nothing is written here.
 */
export class EntityTargetScanner {
  constructor(private readonly options: ScanServiceOptions) {}

  async scanEntity(entity: ClaimedEntity): Promise<ScanOutcome> {
    try {
      return { entity, ...(await this.scanTargets(entity)) };
    } catch (error) {
      this.options.logger.error(
        `Scan of ${entity.entityRef} could not be completed: ${error}`,
      );
      return {
        entity,
        targets: [],
        findings: [],
        scannedTargets: [],
        digests: {},
        error,
      };
    }
  }

  private async scanTargets(entity: EntityState): Promise<{
    targets: ScanTargetResult[];
    findings: ScannedFinding[];
    scannedTargets: string[];
    digests: Record<string, string>;
  }> {
    const { policies } = this.options;
    const policyKnown = policies
      .names()
      .includes(entity.policyName ?? 'default');
    // An unknown policy is a finding (and never a PASS); the artifacts are still scanned, under the
    // default policy, so what they contain is known.
    const policy = policies.get(policyKnown ? entity.policyName : undefined);
    const scanOptions = scanOptionsFromPolicy(policy);
    const readerOptions = {
      ...entityReaderOptions(entity, scanOptions.readerOptions ?? {}),
      pinnedHashes: {
        ...(scanOptions.readerOptions?.pinnedHashes as object),
        ...entity.pinnedHashes,
      },
    };
    const targets: ScanTargetResult[] = [];
    const findings: ScannedFinding[] = [];
    const scannedTargets: string[] = [];
    const digests: Record<string, string> = {};
    if (!policyKnown) {
      findings.push(
        scanSelfFailureFinding(
          'policy',
          `Unknown ML Governance policy '${String(entity.policyName).slice(
            0,
            128,
          )}' in ml-governance.io/policy; evaluated under the default policy and never PASS`,
        ),
      );
    }

    for (const target of entity.targets) {
      const resolver = this.options.resolvers.find(candidate =>
        candidate.supports(target),
      );
      try {
        if (!resolver)
          throw new Error(
            `No resolver for target '${target}' (expected url: or file:)`,
          );
        const resolved = await resolver.resolve(target, {
          previousDigest: entity.targetDigests[target],
          entityRef: entity.entityRef,
        });
        digests[target] = resolved.digest;
        // Promotion hook: records the version, consults the rejected-artifact log, checks pinning.
        const intake = await this.options.promotions?.onTargetResolved(
          entity,
          target,
          resolved.digest,
        );
        if (intake) findings.push(...intake);
        if (resolved.unchanged) {
          targets.push({
            target,
            status: 'unchanged',
            version: resolved.digest,
            filesScanned: 0,
            bytesRead: 0,
          });
          continue;
        }
        try {
          const result = await this.options.scanner.scanPath(resolved.path, {
            ...scanOptions,
            // `ml-governance.io/sha256` pins artifact files; an image is pinned by its manifest digest.
            readerOptions: target.startsWith('oci://')
              ? scanOptions.readerOptions
              : readerOptions,
          });
          findings.push(
            ...result.findings.map(finding => ({ ...finding, target })),
          );
          scannedTargets.push(target);
          targets.push({
            target,
            status: 'scanned',
            version: resolved.digest,
            filesScanned: result.files.length,
            bytesRead: result.files.reduce(
              (sum, file) => sum + file.bytesRead,
              0,
            ),
          });
        } finally {
          await resolved.cleanup();
        }
      } catch (error) {
        // The target's earlier findings stay as they were (we could not look); the failure itself
        // becomes a finding so the decision cannot be PASS, and the next scan retries in full.
        delete digests[target];
        findings.push(unreadableTargetFinding(target, error));
        targets.push({
          target,
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
          filesScanned: 0,
          bytesRead: 0,
        });
      }
    }
    return {
      targets: targets.map(each => withDeclared(each, entity)),
      findings,
      scannedTargets,
      digests,
    };
  }
}

/** A scan's result for a target, with the annotation value it came from when that is known. */
export function withDeclared(
  result: ScanTargetResult,
  entity: Pick<EntityRecord, 'declaredTargets'>,
): ScanTargetResult {
  const declared = entity.declaredTargets?.[result.target];
  return declared === undefined ? result : { ...result, declared };
}
