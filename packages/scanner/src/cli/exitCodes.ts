import type { ReleaseDecision } from '../policy/types';

/**
 * Process exit codes, the contract with CI pipelines (documented in `--help` and docs/ci.md).
 * Decisions use distinct, spaced codes so a pipeline can tell "blocked" from "the tool broke".
 *
 * @public
 */
export const EXIT_CODES = {
  PASS: 0,
  /** Usage or configuration error: bad arguments, unreadable or invalid policy, missing target. */
  USAGE: 2,
  /** Internal error: the scan or the gate request could not complete, so there is no decision. */
  INTERNAL: 3,
  TICKET: 10,
  BLOCK: 20,
  /** `mlgov gate --digest`: the digest is in the rejected-artifact log; final, waiting cannot help. */
  REJECTED: 21,
} as const;

export function exitCodeFor(decision: ReleaseDecision): number {
  // Decisions only; REJECTED is the digest gate's own answer.
  return EXIT_CODES[decision];
}

/** A mistake in how the command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
