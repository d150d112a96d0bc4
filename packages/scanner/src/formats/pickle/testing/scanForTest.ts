import { Scanner } from '../../../engine/Scanner';
import type { ReaderOptions } from '../../../engine/FormatReader';
import type { ScanLimits } from '../../../model/limits';
import type { Finding, ScanResult } from '../../../model/finding';
import { PICKLE_FAMILY_READERS } from '../index';

/** Scans bytes through the real engine with the pickle-family readers. */
export function scanWithPickleReaders(
  bytes: Uint8Array,
  name = 'model.pkl',
  options: { readerOptions?: ReaderOptions; limits?: Partial<ScanLimits> } = {},
): Promise<ScanResult> {
  return new Scanner({ readers: PICKLE_FAMILY_READERS, ...options }).scanBytes(
    bytes,
    name,
  );
}

export function blocking(result: ScanResult): Finding[] {
  return result.findings.filter(
    finding => finding.severity === 'critical' || finding.severity === 'high',
  );
}

export function symbolsOf(result: ScanResult, ruleId: string): string[] {
  return result.findings
    .filter(finding => finding.ruleId === ruleId)
    .map(finding => String(finding.evidence.symbol));
}

/** One line per finding, for readable assertion failures. */
export function summarise(result: ScanResult): string[] {
  return result.findings.map(
    finding => `${finding.severity} ${finding.ruleId} ${finding.message}`,
  );
}
