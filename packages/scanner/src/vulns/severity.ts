import type { Severity } from '../model/severity';
import { isMalicious, type OsvRecord } from './osvRecord';

const GHSA_SEVERITY: Record<string, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  LOW: 'low',
};

/**
 * Our severity for an advisory: critical for malware; else the GHSA severity the record carries;
 * else high (an advisory we cannot grade is treated as serious until someone reads it).
 */
export function severityOfAdvisory(record: OsvRecord): Severity {
  if (isMalicious(record)) return 'critical';
  const ghsa = record.database_specific?.severity;
  if (
    typeof ghsa === 'string' &&
    Object.hasOwn(GHSA_SEVERITY, ghsa.toUpperCase())
  )
    return GHSA_SEVERITY[ghsa.toUpperCase()];
  return 'high';
}
