import type { Severity } from './severity';

/**
 * What a rule is about, for grouping in reports.
 *
 * @public
 */
export type RuleCategory =
  | 'artifact'
  | 'archive'
  | 'dependency'
  | 'vulnerability'
  | 'licence'
  | 'source'
  | 'provenance'
  | 'scan';

/**
 * A catalogue entry. Rules are data: every finding refers to one by ID, and docs/rules.md is
 * generated from the catalogue.
 *
 * @public
 */
export interface Rule {
  /** Stable ID, UPPER-KEBAB: `PICKLE-EXEC`. Never reuse or rename: fingerprints and acceptances refer to it. */
  id: string;
  title: string;
  category: RuleCategory;
  severity: Severity;
  /** CWE IDs as `CWE-502`. */
  cwe: string[];
  /** OWASP Top 10 for LLM Applications 2025 IDs, e.g. `LLM03:2025`. */
  owaspLlm: string[];
  /** What the rule detects and why it matters. Markdown, a short paragraph. */
  description: string;
  /** How to fix it. */
  fix: string;
  /** Anchor in docs/rules.md (lower-case rule ID). */
  docsAnchor: string;
  /** Retest command; `{path}` is replaced by the scanned path. Defaults to `mlgov scan {path}`. */
  retest?: string;
}
