import type { Signal } from '../model/evidence';
import type { Component } from '../model/component';
import type { FileRecord, Finding, ScanResult } from '../model/finding';
import { toFinding } from './toFinding';
import { TOOL_NAME, TOOL_VERSION } from '../version';

/** Accumulates one scan's files, findings (deduplicated by fingerprint) and components. */
export class Collector {
  readonly files: FileRecord[] = [];
  readonly findings: Finding[] = [];
  readonly components: Component[] = [];
  private readonly seen = new Set<string>();

  /** `displayRoot`: the scanned path as the user gave it, prefixed to file paths in retest commands. */
  constructor(private readonly displayRoot: string) {}

  file(path: string, size: number): FileRecord {
    const record: FileRecord = { path, size, formats: [], bytesRead: 0 };
    this.files.push(record);
    return record;
  }

  emit(signal: Signal): void {
    const finding = toFinding(signal, this.displayRoot);
    // The same observation reported twice (e.g. a global re-imported through the memo) is one finding.
    if (this.seen.has(finding.fingerprint)) return;
    this.seen.add(finding.fingerprint);
    this.findings.push(finding);
  }

  /** Adds what another collector gathered (one file scanned on its own), in its order, deduplicated. */
  absorb(other: Collector): void {
    this.files.push(...other.files);
    for (const finding of other.findings) {
      if (this.seen.has(finding.fingerprint)) continue;
      this.seen.add(finding.fingerprint);
      this.findings.push(finding);
    }
    this.components.push(...other.components);
  }

  result(target: string, started: number): ScanResult {
    return {
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      target,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      files: this.files,
      findings: this.findings,
      components: this.components,
    };
  }
}
