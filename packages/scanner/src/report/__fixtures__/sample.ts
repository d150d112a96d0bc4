import type { Signal } from '../../model/evidence';
import type { Finding, ScanResult } from '../../model/finding';
import type { Component } from '../../model/component';
import { toFinding } from '../../engine/toFinding';

/** A finding built through the real catalogue join, so fingerprints and docs links are the real ones. */
export function finding(
  ruleId: string,
  signal: Partial<Omit<Signal, 'ruleId'>> = {},
  overrides: Partial<Finding> = {},
): Finding {
  return {
    ...toFinding({
      ruleId,
      message: signal.message ?? `${ruleId} observed`,
      location: signal.location ?? { path: 'models/model.bin' },
      evidence: signal.evidence ?? {},
      key: signal.key ?? 'k',
      severity: signal.severity,
    }),
    ...overrides,
  };
}

export function scanResult(
  findings: Finding[],
  components: Component[] = [],
): ScanResult {
  const paths = [...new Set(findings.map(f => f.location.path))];
  return {
    tool: { name: 'mlgov', version: '0.1.0' },
    target: 'models',
    startedAt: '2026-11-25T12:00:00.000Z',
    durationMs: 42,
    files: paths.map(path => ({
      path,
      size: 1024,
      formats: ['zip'],
      bytesRead: 100,
    })),
    findings,
    components,
  };
}

export const NOW = new Date('2026-11-25T12:00:00Z');
