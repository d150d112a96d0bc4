import { InputError } from '@backstage/errors';
import {
  DEFAULT_POLICY,
  evaluatePolicy,
  parsePolicy,
  scanOptionsFromPolicy,
  type Finding as ScannerFinding,
  type Policy,
  type PolicyEvaluation,
} from '@ml-governance/scanner';

export type { Policy, PolicyEvaluation };
export { scanOptionsFromPolicy };

/** An acceptance as the policy engine sees it. */
export interface PolicyAcceptance {
  id: string;
  fingerprint?: string;
  ruleId?: string;
  expiresAt: string;
}

/**
 * The named policies from config. Each is written in the scanner's policy-file shape (`fail_on`,
 * `ticket_on`, `allow`, `rules`...), so a team can move a policy between CI and the portal unchanged.
 * An entity names a stricter one with the `ml-governance.io/policy` annotation.
 */
export class PolicyRegistry {
  private readonly policies = new Map<string, Policy>();

  constructor(rawPolicies: Record<string, unknown>) {
    for (const [name, raw] of Object.entries(rawPolicies)) {
      const body = {
        apiVersion: DEFAULT_POLICY.apiVersion,
        ...(raw as object),
      };
      // JSON is YAML, so the scanner's own parser validates config-provided policies too.
      const policy = parsePolicy(
        JSON.stringify(body),
        `mlGovernance.policies.${name}`,
      );
      // A path has no folder to be relative to in app-config; ignoring it would verify with less.
      if (policy.signatures?.trustedRootFile !== undefined)
        throw new InputError(
          `mlGovernance.policies.${name}.signatures.trusted_root_file is read by the mlgov CLI from a policy file; in app-config give the trusted root inline as signatures.trusted_root`,
        );
      this.policies.set(name, policy);
    }
    if (!this.policies.has('default'))
      this.policies.set('default', { ...DEFAULT_POLICY });
  }

  /** The policy for an entity; an unknown name is an error (never a silent fallback to a laxer policy). */
  get(name: string | undefined): Policy {
    const policy = this.policies.get(name ?? 'default');
    if (!policy) throw new InputError(`Unknown ML Governance policy '${name}'`);
    return policy;
  }

  names(): string[] {
    return [...this.policies.keys()];
  }

  evaluate(
    findings: ScannerFinding[],
    policy: Policy,
    options: { now: Date; acceptances: PolicyAcceptance[] },
  ): PolicyEvaluation {
    return evaluatePolicy({ findings }, policy, options);
  }
}
