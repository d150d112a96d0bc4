import type { SignatureOptions } from '../signatures/options';
import type { Finding } from '../model/finding';
import type { ScanLimits } from '../model/limits';
import type { Severity } from '../model/severity';

/**
 * The only policy format version this scanner reads. A breaking change to the format gets a new version.
 *
 * @public
 */
export const POLICY_API_VERSION = 'mlgov/v1';

/**
 * What a release may do: stop, go with a ticket for the owner, or go.
 *
 * @public
 */
export type ReleaseDecision = 'BLOCK' | 'TICKET' | 'PASS';

/**
 * Exit-code order: a more severe decision wins when several are combined.
 *
 * @public
 */
export const DECISION_RANK: Record<ReleaseDecision, number> = {
  PASS: 0,
  TICKET: 1,
  BLOCK: 2,
};

/**
 * `rules.<RULE-ID>` in the policy file.
 *
 * @public
 */
export interface RuleOverride {
  /** Replaces the severity of every finding of this rule. */
  severity?: Severity;
  /**
   * `false` keeps the rule's findings in reports, marked suppressed, but they stop counting.
   * Rules of category `scan` (SCAN-ERROR, SCAN-LIMIT, SCAN-UNSUPPORTED) cannot be disabled.
   */
  enabled?: boolean;
}

/**
 * One `allow:` entry: a documented, owned, expiring exception. Every matcher given must match
 * (they combine with AND); at least one matcher is required so an entry can never allow everything.
 *
 * @public
 */
export interface AllowEntry {
  /** Rule ID the entry applies to. */
  rule?: string;
  /** Glob on the finding's file path (relative to the scan root): `models/legacy/**`, `*.pkl`. */
  path?: string;
  /** Pickle global / called symbol, exact (`torch.load`) or a module prefix (`mylib.*`). */
  symbol?: string;
  /** Python package name (compared after PEP 503 normalisation). */
  package?: string;
  /** Exact finding fingerprint, as printed in reports. */
  fingerprint?: string;
  /** Who answers for this exception (a person or team, e.g. `group:default/ml-platform`). */
  owner: string;
  /** Why it is safe to ship despite the finding. */
  justification: string;
  /** Last day (UTC, inclusive) the entry applies, ISO `YYYY-MM-DD` or a full ISO timestamp. */
  expires: string;
  /** 1-based line of the entry in the policy file, for messages. */
  line?: number;
}

/**
 * A parsed, validated policy (format `mlgov/v1`). In the YAML file keys are snake_case
 * (`fail_on`, `enforce_safetensors`, `ignore_paths`...); the JSDoc of each field names its YAML key.
 *
 * @public
 */
export interface Policy {
  /** `apiVersion`: always `mlgov/v1`. */
  apiVersion: typeof POLICY_API_VERSION;
  /** `fail_on`: findings at or above this severity block the release. Default `high`. */
  failOn: Severity;
  /** `ticket_on`: findings at or above this severity (and below `fail_on`) open a ticket. Default `medium`. */
  ticketOn: Severity;
  /** `enforce_safetensors`: raise PICKLE-FORMAT (any pickle-based model) to the `fail_on` severity. */
  enforceSafetensors: boolean;
  /** `rules`: per-rule severity and on/off overrides, by rule ID. */
  rules: Record<string, RuleOverride>;
  /** `allow`: owned, justified, expiring exceptions. */
  allow: AllowEntry[];
  /** `ignore_paths`: globs of paths (relative to the scan root) that are not scanned at all. */
  ignorePaths: string[];
  /** `limits`: overrides of the scan limits, by their ScanLimits name (`maxDepth`, `maxEntryBytes`...). */
  limits: Partial<ScanLimits>;
  /** `trusted_globals`: extra pickle globals (`module.name` or `module.*`) the pickle reader trusts. */
  trustedGlobals: string[];
  /** `hardened_modules`: Python modules whose model loaders are known to be safe. */
  hardenedModules: string[];
  /** `pinned_hashes`: expected SHA-256 (hex) by path relative to the scan root. */
  pinnedHashes: Record<string, string>;
  /** `signatures`: model signature verification, handed to the signature analyzer as reader option `signatures`. */
  signatures?: SignatureOptions;
  /** `image_platforms`: the platforms of a multi-platform image that are scanned (reader option `imagePlatforms`). */
  imagePlatforms?: string[];
  /** `licences`: the licence policy, handed to the licence checks as reader option `licencePolicy`. */
  licences?: unknown;
  /** `fail_on_missing_license`: a package or model with no declared licence is denied (licence policy `missing: deny`). */
  failOnMissingLicence?: boolean;
  /** `osv`: vulnerability database settings, handed to the dependency checks as reader option `osv`. */
  osv?: unknown;
  /** `datasets`: sampling mode and pinned schemas, handed to the dataset readers as reader option `datasets`. */
  datasets?: { mode?: 'sample' | 'full'; schemas?: Record<string, string> };
}

/**
 * A risk acceptance decided outside the policy file (the portal's approval workflow). It matches by
 * fingerprint, or by rule ID for every finding of that rule; only active acceptances should be passed,
 * and one whose `expiresAt` has passed is ignored with a warning.
 *
 * @public
 */
export interface Acceptance {
  id: string;
  fingerprint?: string;
  ruleId?: string;
  /** ISO timestamp. */
  expiresAt: string;
}

/**
 * Why a finding does not count for the decision.
 *
 * @public
 */
export type Suppression =
  | { kind: 'allowlist'; entry: AllowEntry }
  | { kind: 'rule-disabled'; ruleId: string };

/**
 * A finding as the policy sees it. `severity` is the effective severity after policy overrides.
 *
 * @public
 */
export interface EvaluatedFinding extends Finding {
  /** Present when the policy changed the severity the scanner reported. */
  originalSeverity?: Severity;
  /** What this finding alone asks for; suppressed and accepted findings ask for nothing (`PASS`). */
  outcome: ReleaseDecision;
  suppressed?: Suppression;
  acceptedBy?: { id: string; expiresAt: string };
}

/**
 * A scan result judged under a policy: each finding with its outcome, the counts and the release
 * decision.
 *
 * @public
 */
export interface PolicyEvaluation {
  decision: ReleaseDecision;
  /** One line per rule that drives the decision, most severe first. Empty for PASS without findings. */
  reasons: string[];
  /** Things a person should act on that do not change the decision: expired allow entries and acceptances. */
  warnings: string[];
  /** Findings that count (neither suppressed nor accepted), by effective severity. */
  counts: Record<Severity, number>;
  /** Findings kept in the report but not counted. */
  suppressedCount: number;
  acceptedCount: number;
  failOn: Severity;
  ticketOn: Severity;
  /** Every finding, in scan order, with its effective severity and marks. */
  findings: EvaluatedFinding[];
}
