import type { SpdxNode } from 'spdx-expression-parse';
import {
  categoryWithException,
  licenceFamily,
  LICENCE_CATEGORIES,
  type LicenceCategory,
} from './categories';
import { huggingFaceLicence } from './huggingFace';
import { normalizeLicence, parseExpression } from './normalize';

export type LicenceAction = 'allow' | 'review' | 'deny';

/** How the software is used: decides whether copyleft obligations are triggered. */
export type DistributionContext = 'internal' | 'hosted-service' | 'distributed';

/**
 * Licence policy, read from `ctx.options.licencePolicy` by the dependency analyzer and passed by
 * the policy layer to `evaluateLicence` for model components.
 *
 * ```yaml
 * licencePolicy:
 *   distribution: hosted-service     # internal | hosted-service | distributed (default)
 *   categories: { non-commercial: deny, use-restricted: review }
 *   licences: { cc-by-nc-4.0: deny, agpl-3.0: deny, LicenseRef-llama3: allow }
 *   missing: deny                    # a dependency with no declared licence
 * ```
 * Per-licence entries win over categories; keys may be SPDX IDs (any case; `gpl-3.0` matches
 * `-only` and `-or-later`), `LicenseRef-` IDs or Hugging Face IDs.
 */
export interface LicencePolicy {
  distribution?: DistributionContext;
  categories?: Partial<Record<LicenceCategory, LicenceAction>>;
  licences?: Record<string, LicenceAction>;
  /** What to do when a package or model declares no licence. Default `review`. */
  missing?: LicenceAction;
  /**
   * The artifact ships to a production entity (catalog `spec.lifecycle: production`). Production
   * defaults deny non-commercial licences (cc-by-nc-*) and, unless the distribution is internal,
   * network copyleft (AGPL-3.0): both forbid exactly what production does.
   */
  production?: boolean;
}

/** Defaults per distribution context: copyleft matters once we distribute, network copyleft once we host. */
export function defaultCategoryActions(
  distribution: DistributionContext = 'distributed',
  production = false,
): Record<LicenceCategory, LicenceAction> {
  let networkCopyleft: LicenceAction = production ? 'deny' : 'review';
  if (distribution === 'internal') networkCopyleft = 'allow';
  return {
    permissive: 'allow',
    'weak-copyleft': 'allow',
    'strong-copyleft': distribution === 'distributed' ? 'review' : 'allow',
    'network-copyleft': networkCopyleft,
    'non-commercial': production ? 'deny' : 'review',
    'use-restricted': 'review',
    'vendor-community': 'review',
    proprietary: 'review',
    unknown: 'review',
  };
}

export interface LicenceTermDecision {
  id: string;
  category: LicenceCategory;
  action: LicenceAction;
  /** Why: `licence <key>` or `category <name>`. */
  rule: string;
}

export interface LicenceDecision {
  /** The overall action: for `A OR B` the best alternative, for `A AND B` the worst. */
  action: LicenceAction;
  /** Normalised SPDX expression, undefined when nothing was declared or recognised. */
  expression?: string;
  guessed: boolean;
  /** Category of the term that decided the action. */
  category: LicenceCategory;
  terms: LicenceTermDecision[];
  missing: boolean;
  reason: string;
}

const RANK: Record<LicenceAction, number> = { allow: 0, review: 1, deny: 2 };

/** Policy keys compare in lower case; Hugging Face IDs that are not SPDX map to their `LicenseRef-`. */
function policyKey(key: string): string {
  const lower = key.trim().toLowerCase();
  const mapped = huggingFaceLicence(lower);
  return mapped?.startsWith('LicenseRef-') ? mapped.toLowerCase() : lower;
}

/** Checks the shape of an untrusted policy object; returns the usable part and what was wrong. */
export function readLicencePolicy(raw: unknown): {
  policy: LicencePolicy;
  problems: string[];
} {
  const problems: string[] = [];
  if (raw === undefined) return { policy: {}, problems };
  if (typeof raw !== 'object' || raw === null)
    return {
      policy: {},
      problems: ['licencePolicy is not an object; defaults used'],
    };
  const input = raw as Record<string, unknown>;
  const isAction = (value: unknown): value is LicenceAction =>
    value === 'allow' || value === 'review' || value === 'deny';
  const policy: LicencePolicy = {};
  if (input.distribution !== undefined) {
    if (
      input.distribution === 'internal' ||
      input.distribution === 'hosted-service' ||
      input.distribution === 'distributed'
    )
      policy.distribution = input.distribution;
    else
      problems.push(
        `licencePolicy.distribution "${String(
          input.distribution,
        )}" is not internal, hosted-service or distributed`,
      );
  }
  if (input.production !== undefined || input.lifecycle !== undefined) {
    if (typeof input.production === 'boolean')
      policy.production = input.production;
    else if (typeof input.lifecycle === 'string')
      policy.production = input.lifecycle.toLowerCase() === 'production';
    else problems.push('licencePolicy.production must be true or false');
  }
  if (input.fail_on_missing_license !== undefined) {
    if (typeof input.fail_on_missing_license === 'boolean') {
      if (input.fail_on_missing_license) policy.missing = 'deny';
    } else
      problems.push(
        'licencePolicy.fail_on_missing_license must be true or false',
      );
  }
  if (input.missing !== undefined) {
    if (isAction(input.missing)) policy.missing = input.missing;
    else problems.push('licencePolicy.missing must be allow, review or deny');
  }
  for (const [field, valid] of [
    [
      'categories',
      (k: string) => (LICENCE_CATEGORIES as readonly string[]).includes(k),
    ],
    ['licences', () => true],
  ] as const) {
    const table = input[field];
    if (table === undefined) continue;
    if (typeof table !== 'object' || table === null) {
      problems.push(`licencePolicy.${field} is not a mapping`);
      continue;
    }
    const out: Record<string, LicenceAction> = {};
    for (const [key, value] of Object.entries(table)) {
      if (!valid(key))
        problems.push(`licencePolicy.categories has unknown category "${key}"`);
      else if (!isAction(value))
        problems.push(
          `licencePolicy.${field}.${key} must be allow, review or deny`,
        );
      else out[key] = value;
    }
    if (field === 'categories') policy.categories = out;
    else policy.licences = out;
  }
  return { policy, problems };
}

/**
 * Applies a licence policy to one declared licence (SPDX expression, Hugging Face ID or free text).
 * Pure: the policy layer calls it for model components, the dependency analyzer for packages.
 */
export function evaluateLicence(
  declared: string | undefined,
  policy: LicencePolicy = {},
  hints: { licenseName?: string } = {},
): LicenceDecision {
  const normalized = normalizeLicence(declared, hints);
  if (!normalized) {
    const recognisedNothing =
      Boolean(declared?.trim()) &&
      !/^(unknown|none|n\/a|-)$/i.test(declared!.trim());
    if (recognisedNothing) {
      const action = categoryAction('unknown', policy);
      return {
        action,
        guessed: false,
        category: 'unknown',
        terms: [],
        missing: false,
        reason: `licence "${declared!
          .trim()
          .slice(0, 80)}" is not recognised (category unknown: ${action})`,
      };
    }
    const action = policy.missing ?? 'review';
    return {
      action,
      guessed: false,
      category: 'unknown',
      terms: [],
      missing: true,
      reason: `no licence declared (missing: ${action})`,
    };
  }
  const tree = parseExpression(normalized.expression) ?? {
    license: normalized.expression,
  };
  const terms: LicenceTermDecision[] = [];
  const decide = (node: SpdxNode): LicenceTermDecision => {
    if ('license' in node) {
      const id = node.plus ? `${node.license}+` : node.license;
      const decision = decideTerm(id, node.exception, policy);
      terms.push(decision);
      return decision;
    }
    const left = decide(node.left);
    const right = decide(node.right);
    if (node.conjunction === 'or')
      return RANK[left.action] <= RANK[right.action] ? left : right;
    return RANK[left.action] >= RANK[right.action] ? left : right;
  };
  const deciding = decide(tree);
  return {
    action: deciding.action,
    expression: normalized.expression,
    guessed: normalized.guessed,
    category: deciding.category,
    terms,
    missing: false,
    reason: `${deciding.id} is ${deciding.category} (${deciding.rule}: ${
      deciding.action
    })${normalized.guessed ? '; licence guessed from free text' : ''}`,
  };
}

function categoryAction(
  category: LicenceCategory,
  policy: LicencePolicy,
): LicenceAction {
  return (
    policy.categories?.[category] ??
    defaultCategoryActions(policy.distribution, policy.production)[category]
  );
}

function decideTerm(
  id: string,
  exception: string | undefined,
  policy: LicencePolicy,
): LicenceTermDecision {
  const category = categoryWithException(id, exception);
  const wanted = id.toLowerCase();
  const family = licenceFamily(id).toLowerCase();
  for (const [key, action] of Object.entries(policy.licences ?? {})) {
    const normalizedKey = policyKey(key);
    // A key without -only/-or-later covers both variants; a suffixed key only itself.
    const unsuffixed = licenceFamily(normalizedKey) === normalizedKey;
    if (normalizedKey === wanted || (unsuffixed && normalizedKey === family))
      return { id, category, action, rule: `licence ${key}` };
  }
  return {
    id,
    category,
    action: categoryAction(category, policy),
    rule: `category ${category}`,
  };
}
