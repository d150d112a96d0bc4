import { Scanner } from '../../../engine/Scanner';
import type { ScanLimits } from '../../../model/limits';
import type { Finding, ScanResult } from '../../../model/finding';
import { ARCHIVE_READERS } from '../index';
import { recordingReader, type HandedMember } from './recordingReader';

export interface ArchiveScan {
  result: ScanResult;
  handed: HandedMember[];
  /** Members handed over, as `outer!inner` chains. */
  handedNames: string[];
  rules: string[];
  /** Format labels of the top-level file, without the recorder's own. */
  formats: string[];
  finding(ruleId: string): Finding | undefined;
}

/** Scans bytes through the real engine with the archive readers and a recorder standing in for the others. */
export async function scanArchive(
  bytes: Uint8Array,
  name = 'model.zip',
  limits: Partial<ScanLimits> = {},
): Promise<ArchiveScan> {
  const { reader, handed } = recordingReader();
  const result = await new Scanner({
    readers: [...ARCHIVE_READERS, reader],
    limits,
  }).scanBytes(bytes, name);
  return wrap(result, handed);
}

export function wrap(result: ScanResult, handed: HandedMember[]): ArchiveScan {
  return {
    result,
    handed,
    handedNames: handed.map(member => member.location.join('!')),
    formats: (result.files[0]?.formats ?? []).filter(
      format => format !== 'recorder',
    ),
    rules: [...new Set(result.findings.map(finding => finding.ruleId))].sort(),
    finding: ruleId =>
      result.findings.find(finding => finding.ruleId === ruleId),
  };
}
