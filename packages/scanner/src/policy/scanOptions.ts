import type { ScanOptions } from '../engine/Scanner';
import type { ReaderOptions } from '../engine/FormatReader';
import { isAtLeast, type Severity } from '../model/severity';
import type { Policy } from './types';

/**
 * The parts of a policy the scanner itself needs: what to skip, how far to read, what readers trust.
 *
 * @public
 */
export function scanOptionsFromPolicy(
  policy: Policy,
): Pick<ScanOptions, 'ignore' | 'limits' | 'readerOptions'> {
  const readerOptions: ReaderOptions = {
    trustedGlobals: policy.trustedGlobals,
    hardenedModules: policy.hardenedModules,
    pinnedHashes: policy.pinnedHashes,
  };
  if (policy.licences !== undefined)
    readerOptions.licencePolicy = policy.licences;
  if (policy.failOnMissingLicence) {
    const licences =
      typeof policy.licences === 'object' && policy.licences !== null
        ? policy.licences
        : {};
    readerOptions.licencePolicy = {
      ...licences,
      fail_on_missing_license: true,
    };
  }
  if (policy.osv !== undefined) readerOptions.osv = policy.osv;
  if (policy.datasets !== undefined) readerOptions.datasets = policy.datasets;
  if (policy.signatures !== undefined)
    readerOptions.signatures = policy.signatures;
  if (policy.imagePlatforms !== undefined)
    readerOptions.imagePlatforms = policy.imagePlatforms;
  return { ignore: policy.ignorePaths, limits: policy.limits, readerOptions };
}

/**
 * The policy with another blocking threshold (the CLI's `--fail-on`). `ticket_on` follows it down
 * when it would otherwise be above it, so the thresholds stay ordered.
 *
 * @public
 */
export function withFailOn(policy: Policy, failOn: Severity): Policy {
  return {
    ...policy,
    failOn,
    ticketOn: isAtLeast(failOn, policy.ticketOn) ? policy.ticketOn : failOn,
  };
}
