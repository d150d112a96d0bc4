/**
 * Finding severities, most severe first.
 *
 * @public
 */
export const SEVERITIES = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
] as const;
/**
 * A finding's severity, from `info` to `critical`.
 *
 * @public
 */
export type Severity = (typeof SEVERITIES)[number];

/**
 * Numeric rank: higher is more severe.
 *
 * @public
 */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

/**
 * Whether `severity` is `threshold` or more severe.
 *
 * @public
 */
export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/**
 * GitHub code scanning reads `security-severity` as a CVSS-like score.
 *
 * @public
 */
export const SECURITY_SEVERITY_SCORE: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};
