import { POLICY_API_VERSION, type Policy } from './types';

/**
 * The policy used when none is given: CRITICAL/HIGH block, MEDIUM opens a ticket, LOW and INFO pass;
 * no exceptions, default limits. `examples/default.yaml` spells out the same policy as a file.
 *
 * @public
 */
export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  apiVersion: POLICY_API_VERSION,
  failOn: 'high',
  ticketOn: 'medium',
  enforceSafetensors: false,
  rules: {},
  allow: [],
  ignorePaths: [],
  limits: {},
  trustedGlobals: [],
  hardenedModules: [],
  pinnedHashes: {},
});
